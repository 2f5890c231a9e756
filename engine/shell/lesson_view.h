// LessonView: a lesson's ImGui panels, as the app lays them out.
//
// The app owns the lessons (made from the registry) and draws the transport
// bar and the frame around these; a view holds a reference to its lesson,
// reads it every frame and changes it only through the lesson's calls. Edits
// a panel makes while it draws are queued with edit_later() (edit_queue.h)
// and applied after every panel has drawn, so no panel reads a trace that
// changed under it mid-frame.
#pragma once
#include <memory>
#include <string>

#include "json_io.h"
#include "lesson.h"

namespace sw {

class LessonView {
 public:
  virtual ~LessonView() = default;
  virtual Lesson& lesson() = 0;
  virtual void params_panel() = 0;   // left column
  virtual void canvas() = 0;         // the main picture
  virtual void formula_panel() = 0;  // the live formula under it
  // View facts for scripts and tests (e.g. where data points sit on screen),
  // as a JSON object; getState() returns it under "view".
  virtual Json view_json() const { return Json::object(); }
  // Whether a touch starting at (x, y) (CSS pixels, as the last frame laid
  // out) would drag something in two dimensions, e.g. an SVM point: the page
  // then keeps the gesture instead of scrolling. Horizontal drags (sliders,
  // the step scrubber) need no grab: the canvas's touch-action pan-y already
  // leaves them to the app.
  virtual bool grabs_touch(float x, float y) const { return false; }

  // Narrow screens (phones: the app is under kNarrowWidth CSS px wide): one
  // column, so a view stacks what it would put side by side and sizes its
  // picture to the width it is given (GetContentRegionAvail().x), letting the
  // canvas scroll vertically instead of sideways. Set by the app every frame
  // before the panels draw.
  bool narrow() const { return narrow_; }
  void set_narrow(bool narrow) { narrow_ = narrow; }

 private:
  bool narrow_ = false;
};

// Below this width (CSS px) the app lays out for a phone (app.cpp).
constexpr float kNarrowWidth = 640.f;
// The smallest touch target on a narrow screen (CSS px).
constexpr float kTouchTarget = 40.f;

}  // namespace sw
