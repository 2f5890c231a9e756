// stepwise-fuzz-gen: the fuzz dictionaries and seed inputs, generated from
// the lesson registry — every link key and job field of every lesson, with
// its valid and boundary values, learnt from the lesson itself.
//
//   stepwise-fuzz-gen OUT [CORPUS...]
// writes OUT/url.dict, OUT/page.dict, OUT/job.dict and seed inputs in
// OUT/corpus/{url,page,job}/ (scripts/fuzz.sh runs it before fuzzing, and
// `scripts/fuzz.sh --corpus` minimises its seeds into tests/fuzz/corpus/).
//
// Per lesson (lesson_registry(), nothing named here):
//   keys      the fields of the lesson's default url(), plus any field of a
//             link in the CORPUS folders that the lesson takes (apply_url does
//             not hand it back as unused): hand edits, point lists, …
//   values    the default; the values seen in CORPUS; for whole numbers, the
//             smallest and largest accepted (searched: a link with only that
//             field gives no message) and one past each; for words, every word
//             the rejection message lists that the lesson accepts; for other
//             numbers, 0, ±1, tiny, huge, nan, inf — each tried, kept either way
//   job       the fields the job runner names as known ("unknown field … (known:
//             …)") and those of the lesson's job(), with the lesson's values
// Seeds: the default link with each value in turn (url, and as `set` edits with
// steps and page commands for page); the job of each such lesson, and the
// default job with each field dropped, mistyped or unknown (job).
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz_links.h"
#include "job.h"
#include "page_command.h"
#include "url_state.h"

using namespace sw;
using namespace sw::fuzz;
namespace fs = std::filesystem;

namespace {

struct Key {
  std::string name;
  std::vector<std::string> values;  // valid and boundary, in order found
  void add(const std::string& v) {
    for (const std::string& x : values)
      if (x == v) return;
    if (values.size() < 24) values.push_back(v);
  }
};

// Fields of every link found in the corpus folders: url inputs (first line)
// and page inputs (`url …` and `set k v` lines).
UrlParams corpus_fields(const std::vector<std::string>& dirs) {
  UrlParams out;
  for (const std::string& d : dirs) {
    if (!fs::is_directory(d)) continue;
    for (const auto& e : fs::directory_iterator(d)) {
      std::ifstream f(e.path(), std::ios::binary);
      std::string line;
      bool first = true;
      while (std::getline(f, line)) {
        std::string link;
        if (line.rfind("url ", 0) == 0)
          link = line.substr(4);
        else if (line.rfind("set ", 0) == 0) {
          const size_t sp = line.find(' ', 4);
          if (sp != std::string::npos)
            out.emplace_back(line.substr(4, sp - 4), line.substr(sp + 1));
        } else if (first && line.find('=') != std::string::npos && line[0] != '{')
          link = line;
        first = false;
        for (auto& kv : parse_url_params(link)) out.push_back(kv);
      }
    }
  }
  return out;
}

bool known_key(Lesson& l, const std::string& key, const std::string& value) {
  UrlParams unused;
  l.apply_url({{key, value}}, &unused);
  return unused.empty();
}

// The whole numbers in a message: "a whole number from 1 to 256" → 1, 256.
std::vector<long long> numbers_in(const std::string& msg) {
  std::vector<long long> out;
  for (size_t i = 0; i < msg.size(); ++i) {
    if (!std::isdigit((unsigned char)msg[i]) || (i > 0 && std::isalnum((unsigned char)msg[i - 1])))
      continue;
    size_t j = i;
    while (j < msg.size() && std::isdigit((unsigned char)msg[j])) ++j;
    if (j - i < 18) out.push_back(std::stoll(msg.substr(i, j - i)));
    i = j;
  }
  return out;
}

// The accepted whole numbers of `key` around `start` (accepted): [lo, hi].
// The bounds a rejection message states are tried first (each checked: v
// accepted, one past it not); else a doubling search and bisection.
void int_range(Lesson& l, const std::string& key, long long start, long long* lo, long long* hi) {
  auto ok = [&](long long v) { return accepted(l, key, std::to_string(v)); };
  UrlParams unused;
  const std::vector<long long> stated =
      numbers_in(l.apply_url({{key, "999999999999999999"}}, &unused) + " " +
                 l.apply_url({{key, "-999999999999999999"}}, &unused));
  bool found_hi = false, found_lo = false;
  for (long long c : stated) {
    if (!found_hi && c >= start && ok(c) && !ok(c + 1)) *hi = c, found_hi = true;
    if (!found_lo && c <= start && ok(c) && !ok(c - 1)) *lo = c, found_lo = true;
  }
  long long good, bad, step;
  if (!found_hi) {
    good = start, step = 1;
    while (good < (1ll << 60) && ok(good + step)) good += step, step *= 2;
    bad = good + step;  // good accepted, bad not (or beyond the search)
    while (bad - good > 1) {
      const long long mid = good + (bad - good) / 2;
      (ok(mid) ? good : bad) = mid;
    }
    *hi = good;
  }
  if (!found_lo) {
    good = start, step = 1;
    while (good > -(1ll << 60) && ok(good - step)) good -= step, step *= 2;
    bad = good - step;
    while (good - bad > 1) {
      const long long mid = bad + (good - bad) / 2;
      (ok(mid) ? good : bad) = mid;
    }
    *lo = good;
  }
}

// Words in a message that could be values: "op, cell, channel or layer".
std::vector<std::string> words_in(const std::string& msg) {
  std::vector<std::string> out;
  std::string w;
  for (char c : msg + " ") {
    if (std::isalnum((unsigned char)c) || c == '_' || c == '-') {
      w += c;
    } else {
      if (!w.empty() && std::isalpha((unsigned char)w[0])) out.push_back(w);
      w.clear();
    }
  }
  return out;
}

std::vector<Key> learn_keys(Lesson& l, const UrlParams& defaults, const UrlParams& seen) {
  std::map<std::string, Key> keys;
  std::vector<std::string> order;
  auto key = [&](const std::string& k) -> Key& {
    if (!keys.count(k)) keys[k].name = k, order.push_back(k);
    return keys[k];
  };
  for (const auto& [k, v] : defaults) key(k).add(v);
  for (const auto& [k, v] : seen)
    if (!k.empty() && known_key(l, k, v)) key(k).add(v);
  for (const std::string& name : order) {
    Key& k = keys[name];
    const std::vector<std::string> start = k.values;
    for (const std::string& v : start) {
      long long n;
      if (whole_numbers(v, &n) == 1 && accepted(l, name, v)) {
        long long lo, hi;
        int_range(l, name, n, &lo, &hi);
        for (long long x : {lo, lo - 1, hi, hi + 1}) k.add(std::to_string(x));
        if (accepted(l, name, std::to_string(lo) + "," + std::to_string(hi)))
          k.add(std::to_string(lo) + "," + std::to_string(hi));
      } else if (!v.empty() && std::isalpha((unsigned char)v[0])) {
        UrlParams unused;
        const std::string msg = l.apply_url({{name, "\x01zz"}}, &unused);
        for (const std::string& w : words_in(msg))
          if (w != name && accepted(l, name, w)) k.add(w);
        k.add("\x01zz");
      } else {
        double d;
        if (parse_double(v, &d))
          for (const char* x :
               {"0", "-1", "1", "1e-7", "1e6", "1e15", "1e16", "1e300", "nan", "inf", "-0", "0.5"})
            k.add(x);
        k.add("");
      }
    }
  }
  std::vector<Key> out;
  for (const std::string& name : order) out.push_back(keys[name]);
  return out;
}

std::vector<std::string> job_fields(const LessonInfo& info, const Json& job) {
  std::set<std::string> fields;
  for (auto it = job.begin(); it != job.end(); ++it) fields.insert(it.key());
  Json probe = job;
  probe["\x01zz"] = 0;
  const std::string err = run_job(probe.dump()).json;
  const size_t at = err.find("(known: ");
  if (at != std::string::npos) {
    const std::string list = err.substr(at + 8, err.find(')', at) - at - 8);
    for (const std::string& f : split_list(list, ',')) {
      std::string name = f;
      while (!name.empty() && name[0] == ' ') name.erase(0, 1);
      if (!name.empty()) fields.insert(name);
    }
  }
  return {fields.begin(), fields.end()};
}

// A dictionary entry: printable ASCII as is, the rest as \xNN.
std::string dict_entry(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\' || c < 0x20 || c >= 0x7f) {
      char buf[5];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
    } else {
      out += (char)c;
    }
  }
  return out + "\"";
}

class Writer {
 public:
  explicit Writer(std::string dir) : dir_(std::move(dir)) {}
  void seed(const std::string& target, const std::string& name, const std::string& text) {
    if (!seen_[target].insert(text).second) return;
    fs::create_directories(dir_ + "/corpus/" + target);
    std::ofstream(
        dir_ + "/corpus/" + target + "/" + name + "-" + std::to_string(seen_[target].size()),
        std::ios::binary)
        << text;
  }
  void dict(const std::string& target, const std::string& entry) { dicts_[target].insert(entry); }
  void write_dicts() {
    for (const auto& [target, entries] : dicts_) {
      std::ofstream f(dir_ + "/" + target + ".dict");
      f << "# libFuzzer dictionary for stepwise-fuzz-" << target
        << "*, generated from the lesson registry by stepwise-fuzz-gen "
           "(tests/fuzz/fuzz_gen.cpp).\n";
      for (const std::string& e : entries) f << dict_entry(e) << "\n";
    }
  }

 private:
  std::string dir_;
  std::map<std::string, std::set<std::string>> seen_;
  std::map<std::string, std::set<std::string>> dicts_;
};

std::string link_with(const UrlParams& base, const std::string& key, const std::string& value) {
  std::string out;
  bool found = false;
  for (const auto& [k, v] : base) {
    const bool here = k == key;
    found = found || here;
    out += "&" + url_encode(k) + "=" + url_encode(here ? value : v);
  }
  if (!found) out += "&" + url_encode(key) + "=" + url_encode(value);
  return out;
}

void generate(FuzzLesson& f, const UrlParams& seen, Writer& w) {
  const std::string name = f.info->name;
  Lesson& l = *f.scratch;
  const std::vector<Key> keys = learn_keys(l, f.defaults, seen);
  UrlParams unused;
  l.apply_url({}, &unused);
  const Json default_job = l.job();

  // Dictionaries.
  w.dict("url", "lesson=" + name);
  w.dict("page", "lesson " + name + "\n");
  w.dict("job", "\"lesson\":\"" + name + "\"");
  for (const Key& k : keys) {
    w.dict("url", k.name + "=");
    w.dict("page", "set " + k.name + " ");
    for (const std::string& v : k.values) {
      w.dict("url", "=" + url_encode(v));
      w.dict("page", " " + v);
    }
  }
  for (const std::string& field : job_fields(*f.info, default_job)) {
    w.dict("job", "\"" + field + "\":");
    if (default_job.contains(field) && !default_job[field].is_structured())
      w.dict("job", default_job[field].dump());
  }

  // Seeds: the default link, then each value of each key in it.
  const std::string base = "lesson=" + name + "&" + f.default_url;
  w.seed("url", name, base);
  w.seed("page", name,
         "lesson " + name +
             "\nfwd 3\nlevel 1\nfwd 2\nback 1\n{\"cmd\":\"seek\",\"step\":5}\n"
             "{\"cmd\":\"level\",\"level\":2}\nend\nback 2\nplay\ntick 0.5\n"
             "pause\n{\"cmd\":\"step\",\"n\":-3}\nreset\n");
  w.seed("job", name, default_job.dump());
  for (const Key& k : keys)
    for (const std::string& v : k.values) {
      const std::string link = link_with(f.defaults, k.name, v);
      w.seed("url", name, "lesson=" + name + link);
      w.seed("page", name,
             "lesson " + name + "\nset " + k.name + " " + v +
                 "\nfwd 2\n{\"cmd\":\"step\",\"n\":3}\n" + "level 1\nfwd 1\nend\nback 1\n");
      UrlParams u;
      if (l.apply_url(parse_url_params(link), &u).empty()) w.seed("job", name, l.job().dump());
    }
  // The default job with each field dropped, mistyped, null; and an unknown field.
  for (auto it = default_job.begin(); it != default_job.end(); ++it) {
    if (it.key() == "lesson") continue;
    Json j = default_job;
    j.erase(it.key());
    w.seed("job", name, j.dump());
    for (const Json& bad : {Json("x"), Json(nullptr), Json(-1), Json(1e300), Json::array()}) {
      j = default_job;
      j[it.key()] = bad;
      w.seed("job", name, j.dump());
    }
  }
  Json j = default_job;
  j["zz"] = 1;
  w.seed("job", name, j.dump());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: stepwise-fuzz-gen OUT [CORPUS...]\n");
    return 2;
  }
  const std::string out = argv[1];
  fs::create_directories(out);
  std::vector<std::string> dirs(argv + 2, argv + argc);
  const UrlParams seen = corpus_fields(dirs);
  Writer w(out);
  LinkFuzz& lf = link_fuzz();
  for (FuzzLesson& f : lf.lessons) generate(f, seen, w);

  // What no lesson owns: the App's own link fields, the page commands, JSON.
  for (const char* e : {"&", "=", "%", "#", ",", "%FF", "theme=dark", "embed=1", "autoplay=1",
                        "panels=header,params,transport,formula", "\n{\"cmd\":\"step\",\"n\":1}"})
    w.dict("url", e);
  for (const char* e : {"url ", "set ", "key ", "seek ", "fwd ", "back ", "level ", "speed ",
                        "tick ", "play", "pause", "reset", "end", "\n"})
    w.dict("page", e);
  for (const char* cmd : kPageCommands) w.dict("page", "{\"cmd\":\"" + std::string(cmd) + "\"");
  for (const char* e :
       {",\"n\":", ",\"step\":", ",\"level\":", ",\"theme\":\"dark\"", ",\"lesson\":\"", "}"})
    w.dict("page", e);
  for (const char* e : {"{", "}", "[", "]", ":", ",", "\"", "null", "true", "false", "1e300", "-0",
                        "1e-45", "[[", "]]"})
    w.dict("job", e);
  w.write_dicts();
  std::printf("stepwise-fuzz-gen: %zu lessons -> %s\n", lf.lessons.size(), out.c_str());
  return 0;
}
