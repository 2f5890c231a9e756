// The page protocol's commands (app_command in engine/shell/page.cpp) through
// the lesson's own calls, for the headless fuzz targets: the App and its
// views are not linked there. Same commands, same validation, same limits,
// except the fuzz-only cap on step counts (kFuzzMaxSteps; the page allows
// |n| ≤ 10⁷, which the deep target stepwise-fuzz-url-deep exercises).
//
//   {"cmd":"step","n":1}  {"cmd":"seek","step":k}  {"cmd":"level","level":l}
//   {"cmd":"play"}  {"cmd":"pause"}  {"cmd":"reset"}
//   {"cmd":"theme","theme":"dark"}   (validated only: there is no theme headless)
//   {"cmd":"lesson","lesson":"svm"}  (result.lesson: the index to drive next)
//
//   PageCommandResult r = page_command(link_fuzz(), i, "{\"cmd\":\"seek\",\"step\":4}");
#pragma once
#include <cstdint>
#include <string>

#include "fuzz_links.h"

namespace sw::fuzz {

// 256 until 2026-12-05: each step of the network's trace costs a forward and
// backward pass of its batch under the sanitizers; `seek` and `end` still reach
// any step.
constexpr int64_t kFuzzMaxSteps = 64;

struct PageCommandResult {
  bool ok = false;
  std::string error;  // "" when ok, else the page's message
  int lesson = -1;    // {"cmd":"lesson"}: the lesson chosen
};

// The command words, for the corpus generator and the dictionaries.
constexpr const char* kPageCommands[] = {"step",  "seek",  "level", "play",
                                         "pause", "reset", "theme", "lesson"};

PageCommandResult page_command(LinkFuzz& lf, size_t lesson, const std::string& text);

}  // namespace sw::fuzz
