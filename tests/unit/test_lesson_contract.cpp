// The lesson contract, run over every lesson of the registry: a new lesson
// is held to it without editing this file.
//   - its link round-trips (url → apply_url on a fresh lesson → url), with
//     the step and level, and no message;
//   - seek(k) and stepping agree in both directions at every level;
//   - its job, run headless by the registry's handler, agrees with the
//     trace the lesson steps through (same count, same formulas);
//   - every bad link field is named and falls back, and the rest still apply;
//   - a rebuild (another seed) keeps the learner at the same step.
#include <doctest/doctest.h>

#include <set>

#include "registry.h"
#include "rng.h"
#include "trace.h"

using namespace sw;

namespace {

std::string value_of(const UrlParams& p, const std::string& key) {
  for (const auto& [k, v] : p)
    if (k == key) return v;
  return "";
}

// The steps visited by stepping forward from 0 at `level` (at most `max`).
std::vector<int64_t> forward_steps(Lesson& l, int level, int max) {
  l.reset();
  l.set_level(level);
  std::vector<int64_t> steps{0};
  while (l.step() < l.trace().size() && (int)steps.size() <= max) {
    l.forward();
    steps.push_back(l.step());
  }
  return steps;
}

}  // namespace

// Each lesson of the registry, freshly made, with `info` and `l` for the check.
#define FOR_EACH_LESSON                                         \
  for (const LessonInfo& info : lesson_registry())              \
    for (std::unique_ptr<Lesson> l = info.make(); l; l.reset()) \
      if (const std::string name = info.name; true)

TEST_CASE("the registry: unique names, titles, descriptions, lessons that build") {
  REQUIRE(lesson_registry().size() >= 3);
  std::set<std::string> names;
  FOR_EACH_LESSON {
    CAPTURE(name);
    CHECK(names.insert(info.name).second);
    CHECK(std::string(info.title).size() > 0);
    CHECK(std::string(info.description).size() > 10);
    CHECK(std::string(info.summary).size() > 10);
    CHECK(find_lesson(info.name) == &info);
    CHECK(std::string(l->name()) == name);
    CHECK(l->trace().size() > 0);
    CHECK(l->trace().level_count() >= 2);
  }
  CHECK(find_lesson("nope") == nullptr);
}

TEST_CASE("lesson contract: link round trip") {
  FOR_EACH_LESSON {
    CAPTURE(name);
    l->set_level(1);
    l->seek(std::min<int64_t>(l->trace().size(), 7));
    const std::string link = l->url();
    std::unique_ptr<Lesson> f = info.make();
    UrlParams unused;
    CHECK(f->apply_url(parse_url_params(link), &unused) == "");
    CHECK(unused.empty());
    CHECK(f->url() == link);
    CHECK(f->step() == l->step());
    CHECK(f->level() == 1);
    CHECK(f->version() >= 0);
  }
}

TEST_CASE("lesson contract: seek and step agree at every level, both directions") {
  FOR_EACH_LESSON {
    CAPTURE(name);
    for (int level = 0; level < l->trace().level_count(); ++level) {
      CAPTURE(level);
      const std::vector<int64_t> fwd = forward_steps(*l, level, 60);
      REQUIRE(fwd.size() >= 2);
      for (size_t i = 1; i < fwd.size(); ++i) REQUIRE(fwd[i] > fwd[i - 1]);
      // Back from the last one reached retraces the same boundaries.
      for (size_t i = fwd.size() - 1; i > 0; --i) {
        l->seek(fwd[i]);
        l->back();
        REQUIRE(l->step() == fwd[i - 1]);
      }
      // seek(k) shows the same operation as stepping there.
      for (size_t i = 1; i < fwd.size(); i += 7) {
        forward_steps(*l, level, (int)i);
        Op a, b;
        REQUIRE(l->current_op(&a));
        std::unique_ptr<Lesson> g = info.make();
        g->seek(fwd[i]);
        REQUIRE(g->current_op(&b));
        CHECK(a.formula == b.formula);
        CHECK(a.target.value == b.target.value);
      }
    }
  }
}

TEST_CASE("lesson contract: the lesson's job agrees with its trace") {
  FOR_EACH_LESSON {
    CAPTURE(name);
    Json job = l->job();
    REQUIRE(job.is_object());
    CHECK(job.value("lesson", "") == info.name);
    const bool small = l->trace().size() <= 20000;
    job["trace"] = small;
    Json out;
    std::string err;
    REQUIRE_MESSAGE(info.job(job, out, err), err);
    CHECK(out.value("steps", (int64_t)-1) == l->trace().size());
    if (small) {
      REQUIRE(out.contains("trace"));
      REQUIRE((int64_t)out["trace"].size() == l->trace().size());
      for (int64_t k = 0; k < l->trace().size();
           k += std::max<int64_t>(1, l->trace().size() / 50)) {
        CAPTURE(k);
        const Op op = l->trace().op(k);
        CHECK(out["trace"][k]["formula"] == op.formula);
        CHECK(out["trace"][k]["kind"] == op.kind);
      }
    }
    std::string py;
    REQUIRE_MESSAGE(info.python(l->job(), py, err), err);
    CHECK(py.find("import numpy") != std::string::npos);
  }
}

TEST_CASE("lesson contract: every bad field is named, the rest still apply") {
  FOR_EACH_LESSON {
    CAPTURE(name);
    l->set_level(1);
    l->seek(std::min<int64_t>(l->trace().size(), 3));
    const UrlParams fields = parse_url_params(l->url());
    for (size_t i = 0; i < fields.size(); ++i) {
      UrlParams bad = fields;
      bad[i].second = "\x01not a value";
      CAPTURE(bad[i].first);
      std::unique_ptr<Lesson> f = info.make();
      UrlParams unused;
      const std::string msg = f->apply_url(bad, &unused);
      CHECK(msg.find(bad[i].first + "=") != std::string::npos);
      // Every other field kept its value.
      const UrlParams got = parse_url_params(f->url());
      for (size_t j = 0; j < fields.size(); ++j) {
        if (j == i || fields[j].first == "step" || fields[j].first == "level") continue;
        if (value_of(got, fields[j].first) == "" && fields[j].second != "")
          continue;  // dropped with i
        CAPTURE(fields[j].first);
        CHECK(value_of(got, fields[j].first) == fields[j].second);
      }
      // The lesson still works.
      f->forward();
      CHECK(f->step() > 0);
    }
  }
}

TEST_CASE("lesson contract: a rebuild keeps the learner at the same step") {
  FOR_EACH_LESSON {
    CAPTURE(name);
    const int64_t k = std::min<int64_t>(l->trace().size() - 1, 5);
    l->seek(k);
    const UrlParams fields = parse_url_params(l->url());
    if (value_of(fields, "seed") != "") {
      const uint64_t v = l->version();
      UrlParams same = fields;
      for (auto& kv : same)
        if (kv.first == "seed") kv.second = "12345";
      UrlParams unused;
      CHECK(l->apply_url(same, &unused) == "");
      CHECK(l->version() != v);
      CHECK(l->step() == std::min<int64_t>(k, l->trace().size()));
    }
  }
}
