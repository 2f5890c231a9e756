// LessonView: a lesson's ImGui panels, as the app lays them out.
//
// The app draws the transport bar and the frame around these; a view reads
// its lesson every frame and changes it only through the lesson's calls.
#pragma once
#include <memory>
#include <string>

#include "lesson.h"

namespace sw {

class LessonView {
 public:
  virtual ~LessonView() = default;
  virtual Lesson& lesson() = 0;
  virtual const char* title() const = 0;     // tab label: "Convolution"
  virtual const char* subtitle() const = 0;  // one line for the header
  virtual void params_panel() = 0;           // left column
  virtual void canvas() = 0;                 // the main picture
  virtual void formula_panel() = 0;          // the live formula under it
  // View facts for scripts and tests (e.g. where data points sit on screen),
  // as a JSON object; getState() returns it under "view".
  virtual std::string view_json() const { return "{}"; }
  // Whether a touch starting at (x, y) (CSS pixels, as the last frame laid
  // out) would drag something in two dimensions, e.g. an SVM point: the page
  // then keeps the gesture instead of scrolling. Horizontal drags (sliders,
  // the step scrubber) need no grab: the canvas's touch-action pan-y already
  // leaves them to the app.
  virtual bool grabs_touch(float x, float y) const { return false; }
};

std::unique_ptr<LessonView> make_conv_view();
std::unique_ptr<LessonView> make_svm_view();        // engine/ui/svm_view.cpp
std::unique_ptr<LessonView> make_batchnorm_view();  // engine/ui/batchnorm_view.cpp

}  // namespace sw
