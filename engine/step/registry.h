// The lesson registry: one table naming every lesson.
//
// Everything that iterates lessons reads it: the app's lesson tabs and
// getState().lessons, the landing page's cards (stepwise_lessons() in the
// browser), `stepwise lessons`, run_job / python_for_job, the UI smoke and
// soak tests, the fuzz targets and the lesson contract test. Adding a lesson
// is its folder (engine/lessons/<name>/), one line in registry.cpp, and one
// line in the UI's engine/shell/view_registry.cpp (docs/architecture.md).
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "json_io.h"
#include "lesson.h"

namespace sw {

struct LessonInfo {
  const char* name;         // public name = folder name: "conv"
  const char* title;        // tab label and landing card title: "Convolution"
  const char* description;  // one line for the header under the tabs
  const char* summary;      // two lines for the landing page's card
  std::unique_ptr<Lesson> (*make)();
  // The JSON job (`stepwise job`): validates, runs, fills `out` or `err`.
  bool (*job)(const Json& job, Json& out, std::string& err);
  // The Python program recomputing a job (`stepwise python`): NumPy.
  bool (*python)(const Json& job, std::string& out, std::string& err);
  // The same as a PyTorch program (`stepwise python --framework torch`). Null
  // declares "no PyTorch export yet": the CLI and the page say so, and
  // lessons_json() lists only "numpy" for the lesson. May be left out of a
  // registry line.
  bool (*torch)(const Json& job, std::string& out, std::string& err) = nullptr;
  // A small instance of the lesson as link fields: where the fast fuzz targets
  // start each input, so that an input stays cheap when the defaults are not
  // (the network's 300 training steps on 200 points). "" : the defaults.
  const char* fuzz_start = "";
};

// The frameworks a Python export can target, in the order listed: "numpy"
// (the default) and "torch".
extern const char* const kPythonFrameworks[2];
// Runs the lesson's export for `framework` ("numpy" or "torch"); false with a
// message in `err` for an unknown framework, a lesson without that export, or
// an invalid job.
bool lesson_python(const LessonInfo& l, const Json& job, const std::string& framework,
                   std::string& out, std::string& err);

// Every lesson, in tab order.
const std::vector<LessonInfo>& lesson_registry();
// The entry named `name`, or null.
const LessonInfo* find_lesson(const std::string& name);
// "conv, svm, batchnorm": for messages that list what is known.
std::string lesson_names();
// [{"name","title","description","summary","python"}, …]: the landing cards,
// `stepwise lessons`; "python" lists the frameworks of its Python export.
Json lessons_json();

}  // namespace sw
