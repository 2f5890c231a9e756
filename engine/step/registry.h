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
  // The Python program recomputing a job (`stepwise python`).
  bool (*python)(const Json& job, std::string& out, std::string& err);
};

// Every lesson, in tab order.
const std::vector<LessonInfo>& lesson_registry();
// The entry named `name`, or null.
const LessonInfo* find_lesson(const std::string& name);
// "conv, svm, batchnorm": for messages that list what is known.
std::string lesson_names();
// [{"name","title","description","summary"}, …]: the landing cards, `stepwise lessons`.
Json lessons_json();

}  // namespace sw
