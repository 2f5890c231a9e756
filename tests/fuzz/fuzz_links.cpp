// The fuzz-only size cap and the lessons the fast targets drive (fuzz_links.h).
#include "fuzz_links.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>

#include "url_state.h"

namespace sw::fuzz {

static bool is_decimal(const std::string& t) {
  size_t i = !t.empty() && (t[0] == '-' || t[0] == '+') ? 1 : 0;
  if (i == t.size()) return false;
  for (size_t j = i; j < t.size(); ++j)
    if (t[j] < '0' || t[j] > '9') return false;
  return true;
}

int whole_numbers(const std::string& value, long long* largest) {
  if (value.empty()) return -1;
  int n = 0;
  long long big = 0;
  for (const std::string& item : split_list(value, ',')) {
    if (!is_decimal(item)) return -1;
    errno = 0;
    long long v = std::strtoll(item.c_str(), nullptr, 10);
    big = std::max(big, errno ? (long long)1 << 62 : v);
    ++n;
  }
  if (largest) *largest = big;
  return n;
}

bool accepted(Lesson& scratch, const std::string& key, const std::string& value) {
  UrlParams unused;
  const std::string msg = scratch.apply_url({{key, value}}, &unused);
  return msg.empty() && unused.empty();
}

LinkFuzz::LinkFuzz() {
  for (const LessonInfo& info : lesson_registry()) {
    FuzzLesson f{&info, info.make(), info.make(), info.make(), {}, "", {}, -1, {}, ""};
    UrlParams unused;
    f.start = parse_url_params(info.fuzz_start);
    f.lesson->apply_url(f.start, &unused);
    f.default_url = f.lesson->url();
    f.defaults = parse_url_params(f.default_url);
    lessons.push_back(std::move(f));
  }
  for (size_t i = 0; i < lessons.size(); ++i) {
    FuzzLesson& f = lessons[i];
    f.home = cap(i, f.defaults);
    UrlParams unused;
    f.lesson->apply_url(f.home, &unused);
    f.home_url = f.lesson->url();
  }
}

int LinkFuzz::find(const std::string& name) const {
  for (size_t i = 0; i < lessons.size(); ++i)
    if (name == lessons[i].info->name) return (int)i;
  return -1;
}

bool LinkFuzz::is_size(size_t i, const std::string& key, int arity) {
  const std::string id = std::to_string(i) + " " + std::to_string(std::min(arity, 8)) + " " + key;
  if (const bool* known = sizes_.find(id)) return *known;
  Lesson& s = *lessons[i].scratch;
  // A key the lesson does not take costs one probe.
  bool size = false;
  UrlParams unused;
  s.apply_url({{key, "1"}}, &unused);
  if (unused.empty()) {
    // Some accepted p < q with a longer trace for q: growing the key grows the work.
    int64_t smallest = -1;
    for (long long p : {1, 2, 3, 4, 6, 8, 12, 16}) {
      std::string v = std::to_string(p);
      for (int k = 1; k < std::min(arity, 8); ++k) v += "," + std::to_string(p);
      if (!accepted(s, key, v)) continue;
      const int64_t n = s.trace().size();
      if (smallest >= 0 && n > smallest) size = true;
      if (smallest < 0 || n < smallest) smallest = n;
    }
  }
  sizes_.put(id, size);
  return size;
}

long long LinkFuzz::cap_of(size_t i, const std::string& key) const {
  for (const auto& [k, v] : lessons[i].defaults) {
    long long largest = 0;
    if (k == key && whole_numbers(v, &largest) > 0)
      return std::clamp(largest, kFuzzMinCap, kFuzzMaxCap);
  }
  return kFuzzMinCap;
}

// A word a link could name a preset by: what too_large() probes. (Probing
// every mutated value would cost a rebuild each: a third of the svm link
// target's time.)
static bool is_word(const std::string& v) {
  if (v.empty() || v.size() > 32) return false;
  for (char c : v)
    if (!std::isalnum((unsigned char)c) && c != '_') return false;
  return true;
}

bool LinkFuzz::too_large(size_t i, const std::string& key, const std::string& value) {
  // Only keys whose value in the lesson's own link is a word (its preset).
  bool word_key = false;
  for (const auto& [k, v] : lessons[i].defaults)
    if (k == key && whole_numbers(v) < 0) word_key = true;
  if (!word_key || !is_word(value)) return false;
  const std::string id = std::to_string(i) + " " + key + "=" + value;
  if (const bool* known = large_.find(id)) return *known;
  Lesson& s = *lessons[i].scratch;
  const bool large = accepted(s, key, value) && s.trace().size() > kFuzzMaxGrowth * default_size(i);
  large_.put(id, large);
  return large;
}

int64_t LinkFuzz::default_size(size_t i) {
  if (lessons[i].default_size < 0) {
    UrlParams unused;
    lessons[i].scratch->apply_url({}, &unused);
    lessons[i].default_size = std::max<int64_t>(1, lessons[i].scratch->trace().size());
  }
  return lessons[i].default_size;
}

UrlParams LinkFuzz::cap(size_t i, const UrlParams& params) {
  UrlParams out;
  for (const auto& [key, value] : params) {
    // A word that makes the lesson far larger (a "large" preset) is left out.
    if (whole_numbers(value) < 0 && too_large(i, key, value)) continue;
    std::vector<std::string> items = split_list(value, ',');
    std::string v = value;
    if (items.size() > kFuzzMaxListItems) {
      items.resize(kFuzzMaxListItems);
      v.clear();
      for (size_t k = 0; k < items.size(); ++k) v += (k ? "," : "") + items[k];
    }
    long long largest = 0;
    const int arity = whole_numbers(v, &largest);
    // Only a number above every possible cap can need capping: ask the
    // lesson about the key then (probes cost rebuilds).
    if (arity > 0 && largest > kFuzzMinCap && is_size(i, key, arity)) {
      const long long cap = cap_of(i, key);
      std::string capped;
      for (const std::string& item : split_list(v, ',')) {
        errno = 0;
        long long n = std::strtoll(item.c_str(), nullptr, 10);
        if (!capped.empty()) capped += ",";
        capped += errno == 0 && n <= cap ? item : std::to_string(cap);
      }
      v = capped;
    }
    out.emplace_back(key, v);
  }
  // A field of the fuzz start the link leaves out comes from the start, not
  // from the defaults (links are absolute: the network's default 300 steps on
  // 200 points would otherwise return with every link that omits them).
  for (const auto& [key, value] : lessons[i].start) {
    bool given = false;
    for (const auto& kv : params) given = given || kv.first == key;
    if (!given) out.emplace_back(key, value);
  }
  return out;
}

LinkFuzz& link_fuzz() {
  static LinkFuzz lf;
  return lf;
}

}  // namespace sw::fuzz
