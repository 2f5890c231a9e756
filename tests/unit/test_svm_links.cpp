// SVM deep links for hand-edited sets of any size: the edit list (moved=,
// flipped=, deleted=, added=) over a generated set round-trips every point
// exactly; bad edit fields are named and fall back alone; edits too many for
// a link fall back to the generated set with a note.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "rng.h"
#include "svm_edits.h"
#include "svm_lesson.h"
#include "svm_presets.h"
#include "svm_url.h"

using namespace sw;

namespace {

bool same_points(const std::vector<SvmPoint>& a, const std::vector<SvmPoint>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].x1 != b[i].x1 || a[i].x2 != b[i].x2 || a[i].y != b[i].y) return false;
  return true;
}

// A coordinate with all 53 bits used (no short decimal form).
double odd_coord(Rng& rng) {
  return rng.uniform(-4, 4) + rng.uniform() * 1e-9;
}

// Opens `a`'s link in a fresh lesson: no message, the same points, the same link.
void check_round_trip(const SvmLesson& a, SvmLesson* b) {
  const std::string u = a.url();
  CHECK(u.find("pts=") == std::string::npos);
  CHECK(url_form_size("lesson=svm&" + u) <= kMaxUrlChars);
  CHECK(b->apply_url(parse_url_params(u), nullptr) == "");
  CHECK(same_points(b->problem().points, a.problem().points));
  CHECK(b->origin() == a.origin());
  CHECK(b->url() == u);
  CHECK(b->link_note() == "");
}

}  // namespace

TEST_CASE("svm links: numbers are written exactly") {
  Rng rng(3);
  for (int i = 0; i < 2000; ++i) {
    const double v = i % 2 ? odd_coord(rng) : rng.uniform(-1e9, 1e9);
    double back = 0;
    REQUIRE(parse_double(double_text(v), &back));
    CHECK(back == v);
  }
  CHECK(double_text(0.1) == "0.1");
  CHECK(double_text(-1.25) == "-1.25");
  CHECK(double_text(1e20) == "1e20");  // no '+': a link reads it as a space
  CHECK(double_text(1e-7) == "1e-07");
  CHECK(url_form_size("a=1,2&b=x.y") == 13);
}

TEST_CASE("svm links: randomized edits of the 10,000-point preset round-trip exactly") {
  SvmLesson a;
  REQUIRE(a.set_all(SvmPointSource{"overlap", 10000, 5, false, {}, {}}, 5, 10,
                    svm_default_config()) == "");
  const std::vector<SvmPoint> gen = a.generated();
  REQUIRE(gen.size() == 10000);
  Rng rng(11);
  for (int round = 0; round < 12; ++round) {
    // Random moves, label flips, deletions and additions, set as the lesson's points.
    SvmEdits e;
    const int moves = (int)rng.below(50), flips = (int)rng.below(25), dels = (int)rng.below(50),
              adds = (int)rng.below(25);
    for (int k = 0; k < moves; ++k)
      e.moved[(int)rng.below(10000)] = {odd_coord(rng), odd_coord(rng)};
    for (int k = 0; k < flips; ++k) e.flipped.insert((int)rng.below(10000));
    for (int k = 0; k < dels; ++k) {
      const int i = (int)rng.below(10000);
      if (!e.moved.count(i) && !e.flipped.count(i)) e.deleted.insert(i);
    }
    for (int k = 0; k < adds; ++k)
      e.added.push_back({odd_coord(rng), odd_coord(rng), rng.below(2) ? 1 : -1});
    SvmPointSource src{"overlap", 10000, 5, true, {}, {}};
    svm_apply_edits(gen, e, &src.points, &src.origin);
    REQUIRE(a.set_all(src, 5, 10, svm_default_config()) == "");
    a.seek((int64_t)rng.below(1000));
    SvmLesson b;
    check_round_trip(a, &b);
    CHECK(b.step() == a.step());
    SvmEdits back;
    REQUIRE(svm_diff(b.generated(), b.problem().points, b.origin(), &back));
    CHECK(back.moved == e.moved);
    CHECK(back.flipped == e.flipped);
    CHECK(back.deleted == e.deleted);
    CHECK(same_points(back.added, e.added));
    // The same data and training: the SGD model is identical bit for bit, the
    // exact optimum (both cold solves here) too.
    CHECK(b.state().model.w1 == a.state().model.w1);
    CHECK(b.state().model.b == a.state().model.b);
    CHECK(b.exact().model.w1 == a.exact().model.w1);
    CHECK(b.exact().model.b == a.exact().model.b);
  }
}

TEST_CASE("svm links: the lesson's own edits (drag, add, delete) round-trip") {
  SvmLesson a;
  REQUIRE(a.set_n(10000) == "");
  Rng rng(7);
  for (int k = 0; k < 40; ++k) {
    const int n = (int)a.problem().n();
    switch (rng.below(3)) {
      case 0:
        REQUIRE(a.move_point((int)rng.below(n), odd_coord(rng), odd_coord(rng)) == "");
        break;
      case 1:
        REQUIRE(a.add_point(odd_coord(rng), odd_coord(rng), rng.below(2) ? 1 : -1) == "");
        break;
      default:
        REQUIRE(a.remove_point((int)rng.below(n)) == "");
        break;
    }
  }
  const std::string u = a.url();
  CHECK(u.find("preset=separable&n=10000&seed=1&moved=") == 0);
  SvmLesson b;
  check_round_trip(a, &b);
  CHECK(b.edited());
  // The exact optimum: a's was warm-started through every edit, b's is cold;
  // both meet the same tolerance.
  CHECK(std::abs(b.exact().model.w1 - a.exact().model.w1) < 1e-6);

  // Changing the seed after editing keeps the points: the link names the data's seed.
  REQUIRE(a.set_seed(9) == "");
  CHECK(a.url().find("&seed=9&data_seed=1&moved=") != std::string::npos);
  SvmLesson c;
  check_round_trip(a, &c);
  CHECK(c.seed() == 9);
  CHECK(c.svm_trace().state_at(600).model.w1 == a.svm_trace().state_at(600).model.w1);
}

TEST_CASE("svm links: small edited sets keep pts=, edits of a few points stay short") {
  SvmLesson a;
  REQUIRE(a.move_point(0, 1.5, -2) == "");
  CHECK(a.url().find("preset=custom&pts=1.5,-2,1,") == 0);
  REQUIRE(a.set_n(301) == "");
  REQUIRE(a.move_point(300, 0.25, 0.5) == "");
  REQUIRE(a.remove_point(17) == "");
  REQUIRE(a.add_point(3, 4, -1) == "");
  CHECK(a.url().find(
            "preset=separable&n=301&seed=1&moved=300,0.25,0.5&deleted=17&added=3,4,-1&C=") == 0);
  // A point dragged back to where it was generated is no edit.
  const SvmPoint p0 = a.problem().points[0];
  REQUIRE(a.move_point(0, 9, 9) == "");
  REQUIRE(a.move_point(0, p0.x1, p0.x2) == "");
  CHECK(a.url().find("moved=300,0.25,0.5&") != std::string::npos);
}

TEST_CASE("svm links: too many edits fall back to the generated set, and say so") {
  SvmLesson a;
  SvmPointSource src{"separable", 10000, 1, true, {}, {}};
  SvmEdits e;
  for (int i = 0; i < 600; ++i) e.moved[i * 16] = {0.125 * i, -1.5};
  svm_make_preset("separable", 10000, 1, &src.points);
  svm_apply_edits(std::vector<SvmPoint>(src.points), e, &src.points, &src.origin);
  REQUIRE(a.set_all(src, 1, 1, svm_default_config()) == "");
  const std::string note = a.link_note();
  CHECK(note ==
        "too many hand edits for a link (600 changes to the generated points): the link opens "
        "the generated set without them");
  CHECK(a.url().find("preset=separable&n=10000&seed=1&C=") == 0);
  CHECK(url_form_size(a.url()) < kMaxUrlChars);
  // A set unrelated to the generated one (set_points) is all deletions and additions.
  std::vector<SvmPoint> pts = a.problem().points;
  REQUIRE(a.set_points(pts) == "");
  CHECK(a.link_note() ==
        "too many hand edits for a link (20000 changes to the generated points): the link opens "
        "the generated set without them");
  REQUIRE(a.set_preset("overlap") == "");
  CHECK(a.link_note() == "");
}

TEST_CASE("svm links: bad edit fields are named and fall back alone") {
  auto apply = [](const std::string& hash, SvmLesson* l) {
    return l->apply_url(parse_url_params(hash), nullptr);
  };
  const std::string base = "preset=separable&n=1000&seed=2&";
  SvmLesson l;
  CHECK(apply(base + "moved=5,1,2&deleted=10000", &l) ==
        "deleted='10000' ignored: index 10000 is not a generated point (0 to 999)");
  CHECK(l.problem().n() == 1000);
  CHECK(l.problem().points[5].x1 == 1);  // the valid field still applies
  CHECK(apply(base + "moved=5,nan,2", &l) ==
        "moved='5,nan,2' ignored: numbers separated by commas");
  CHECK_FALSE(l.edited());
  CHECK(apply(base + "moved=5,1", &l) == "moved='5,1' ignored: triples index,x,y");
  CHECK(apply(base + "moved=5,1,2e9", &l) ==
        "moved='5,1,2e9' ignored: coordinates must lie within ±10⁹");
  CHECK(apply(base + "moved=1.5,1,2", &l) ==
        "moved='1.5,1,2' ignored: index 1.5 is not a generated point (0 to 999)");
  CHECK(apply(base + "deleted=-1", &l) ==
        "deleted='-1' ignored: index -1 is not a generated point (0 to 999)");
  CHECK(apply(base + "flipped=3,3", &l) == "flipped='3,3' ignored: point 3 is listed twice");
  CHECK(apply(base + "added=1,2,0", &l) == "added='1,2,0' ignored: labels must be 1 or -1");
  CHECK(apply(base + "added=1,2", &l) == "added='1,2' ignored: triples x,y,label");
  CHECK(apply(base + "moved=4,0,0&deleted=4", &l) == "moved='4,0,0' ignored: point 4 is deleted");
  CHECK(l.problem().n() == 999);
  std::string many;
  for (int i = 0; i <= (int)kSvmMaxUrlEdits; ++i) many += (i ? "," : "") + std::to_string(i % 1000);
  CHECK(apply(base + "deleted=" + many, &l) ==
        "deleted='0,1,2,3,4,5,6,7,8,9,10,11,12,13,…' ignored: at most 2000 entries");
  // Valid alone, invalid together: one class deleted entirely.
  std::string evens;
  for (int i = 0; i < 1000; i += 2) evens += (i ? "," : "") + std::to_string(i);
  const std::string m = apply(base + "deleted=" + evens + "&step=4", &l);
  CHECK(m.find("the edits leave no valid set (") == 0);
  CHECK(m.find("); using the generated points") != std::string::npos);
  CHECK(l.problem().n() == 1000);
  CHECK_FALSE(l.edited());
  CHECK(l.step() == 4);
  // With pts= the whole set is given: edits have nothing to apply to.
  CHECK(apply("pts=0,0,1,1,1,-1&deleted=1", &l) == "deleted='1' ignored: pts= gives the whole set");
  CHECK(l.problem().n() == 2);
  CHECK(apply("data_seed=x", &l) == "data_seed='x' ignored: a whole number ≥ 0");
}
