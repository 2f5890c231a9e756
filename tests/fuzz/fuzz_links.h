// Links as the fast fuzz targets see them: every registered lesson, a
// scratch copy of it to ask questions, and the fuzz-only size cap.
//
// Nothing here names a lesson or a key: what a key means is learnt from the
// lesson itself. A key is a *size* of a lesson when a link holding only that
// key, with whole numbers in its value, is accepted (no message) and a larger
// number gives a longer trace (conv's H or padding, svm's n or epochs, batch
// norm's N or shape). The fast targets clamp every whole number in a size
// key's value to the key's cap before applying a link:
//
//   cap = clamp(the largest number in the key's default value, 2, 16)
//
// (2 when the default link leaves the key out), and keep at most
// kFuzzMaxListItems comma-separated items in any value (and leave out a word
// value that alone makes the lesson kFuzzMaxGrowth times larger); a field of
// the lesson's fuzz start (LessonInfo::fuzz_start) that the link leaves out is
// added from it. This is a limit of
// the fuzz targets only, so that each input stays cheap (≥ 1,000 runs a
// second under ASan + UBSan); the product's own limits are unchanged and
// covered by the unit tests (test_robust.cpp) and the *-deep targets.
//
//   LinkFuzz& lf = link_fuzz();               // every lesson of lesson_registry()
//   UrlParams p = lf.cap(i, parse_url_params(text));
//   lf.lessons[i].lesson->apply_url(p, &unused);
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "registry.h"
#include "seen_once.h"

namespace sw::fuzz {

constexpr long long kFuzzMinCap = 2, kFuzzMaxCap = 16;
constexpr size_t kFuzzMaxListItems = 96;
// A field whose value is a word, for a key whose value in the lesson's own
// link is a word too (a preset), is left out of a link when that field alone
// makes the trace more than this many times the default lesson's (batch
// norm's and the network's "large" presets: seconds per input under the
// sanitizers).
constexpr int64_t kFuzzMaxGrowth = 16;

struct FuzzLesson {
  const LessonInfo* info;
  std::unique_ptr<Lesson> lesson;   // the one the target drives
  std::unique_ptr<Lesson> twin;     // for round trips and "links are absolute"
  std::unique_ptr<Lesson> scratch;  // for classifying keys
  UrlParams start;                  // LessonInfo::fuzz_start (empty: the defaults)
  std::string default_url;          // url() of the lesson at `start`: where inputs begin
  UrlParams defaults;               // the same, parsed
  int64_t default_size = -1;        // the default lesson's trace length (LinkFuzz::default_size)
  // Where the page target starts each input: `defaults` with the size cap
  // applied (svm's n = 40 becomes 16). Links are capped, so an input that
  // edits one field of the lesson's link ends at capped sizes; starting from
  // uncapped defaults made every such input rebuild the lesson at the
  // default sizes at the start of the next (two thirds of the svm, optim and
  // network page inputs).
  UrlParams home;
  std::string home_url;  // url() of the lesson at `home`
};

// "1,2,3" → 3 (the whole numbers in a comma-separated value), or -1 when
// some item is not a plain decimal integer.
int whole_numbers(const std::string& value, long long* largest = nullptr);

// A link holding only key=value: accepted by the lesson without a message.
bool accepted(Lesson& scratch, const std::string& key, const std::string& value);

class LinkFuzz {
 public:
  LinkFuzz();
  std::vector<FuzzLesson> lessons;  // lesson_registry()'s order

  // Index of lesson `name`, or -1.
  int find(const std::string& name) const;
  // Whether `key` (with `arity` whole numbers in its value) is a size of lesson i.
  bool is_size(size_t i, const std::string& key, int arity);
  // The key's cap (see above).
  long long cap_of(size_t i, const std::string& key) const;
  // `params` with the fuzz-only size cap applied for lesson i.
  UrlParams cap(size_t i, const UrlParams& params);
  // Whether key=value alone makes lesson i's trace kFuzzMaxGrowth times its default's.
  bool too_large(size_t i, const std::string& key, const std::string& value);
  int64_t default_size(size_t i);

 private:
  HashMemo sizes_, large_;  // fixed tables: no allocation per input (seen_once.h)
};

LinkFuzz& link_fuzz();

}  // namespace sw::fuzz
