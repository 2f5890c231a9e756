#include <doctest/doctest.h>

#include <algorithm>

#include "check.h"
#include "conv_lesson.h"
#include "conv_trace.h"
#include "format.h"

using namespace sw;

static void check_same_state(const ConvState& a, const ConvState& b) {
  REQUIRE(a.out.data.size() == b.out.data.size());
  for (size_t i = 0; i < a.out.data.size(); ++i) {
    // Replay marks cells "started" but cannot know the last term; compare
    // pending-ness and exact values.
    CHECK((a.cell[i] == ConvState::kPending) == (b.cell[i] == ConvState::kPending));
    CHECK(a.out.data[i] == b.out.data[i]);
  }
}

TEST_CASE("replaying ops one by one reproduces state_at at every step") {
  Rng rng(99);
  for (int trial = 0; trial < 40; ++trial) {
    ConvTrace tr(test::random_problem(rng, 6));
    ConvState st = conv_initial_state(tr.shape());
    for (int64_t k = 0; k < tr.size(); ++k) {
      Op op = tr.op(k);
      conv_apply(op, st);
      // The op's own record of the result agrees with the replay.
      REQUIRE((float)op.target.value == st.out[op.target.flat]);
      if (k % 7 == 0 || k + 1 == tr.size()) check_same_state(st, tr.state_at(k + 1));
    }
    // The last step equals the full computation, bit for bit.
    CHECK(st.out.data == tr.result().data);
    CHECK(tr.state_at(tr.size()).out.data == tr.result().data);
  }
}

TEST_CASE("trace order and op records") {
  ConvProblem p;
  p.shape.C = 1, p.shape.H = 4, p.shape.W = 4, p.shape.F = 2, p.shape.KH = 2, p.shape.KW = 2;
  p.shape.pad_h = p.shape.pad_w = 1;
  p.shape.relu = true;
  p.input = Tensor({1, 4, 4});
  for (int i = 0; i < 16; ++i) p.input[i] = 0.25f * i;
  p.kernel = Tensor({2, 1, 2, 2});
  p.kernel.data = {1, -1, 0.5f, 2, 0, 0, 0, -1};
  p.bias = {0.1f, -0.5f};
  ConvTrace tr(p);
  // 2 filters × 5×5 cells × (4 products + bias + ReLU).
  CHECK(tr.ops_per_cell() == 6);
  CHECK(tr.size() == 2 * 25 * 6);

  // Op 0: output (0,0,0), kernel (0,0,0,0) over the padding corner in[0,−1,−1].
  Op op0 = tr.op(0);
  CHECK(op0.kind == "mac");
  CHECK(op0.reads[0].flat == -1);
  CHECK(op0.reads[0].index == std::vector<int>{0, -1, -1});
  CHECK(op0.formula == "out[0,0,0] += in[0,−1,−1]·k[0,0,0,0] = 0 (padding)·1.00 → 0.00");

  // Cell (0,1,1) covers in[0,0..1,0..1] = 0, .25, 1, 1.25.
  ConvCursor c{0, 1, 1, 1};
  Op op = tr.op(tr.op_index(c));
  CHECK(op.reads[0].index == std::vector<int>{0, 0, 1});
  CHECK(op.formula == "out[0,1,1] += in[0,0,1]·k[0,0,0,1] = 0.25·(−1.00) → −0.25");
  CHECK(op.words == "Output 0, row 1, column 1: adding 0.25 × −1.00; running sum −0.25");
  // 0·1 + .25·(−1) + 1·.5 + 1.25·2 = 2.75; + 0.1 bias; ReLU keeps it.
  Op bias = tr.op(tr.op_index({0, 1, 1, 4}));
  CHECK(bias.kind == "bias");
  CHECK(bias.target.value == doctest::Approx(2.85));
  CHECK(bias.formula == "out[0,1,1] += b[0] = 2.75 + 0.10 → 2.85");
  Op relu = tr.op(tr.op_index({1, 1, 1, 5}));
  CHECK(relu.kind == "relu");
  CHECK(relu.formula == "out[1,1,1] = max(0, −1.75) → 0.00");  // −1.25 − 0.5
  CHECK(tr.result()[tr.result().at3(1, 1, 1)] == 0.f);

  // Cursor <-> index round trip.
  for (int64_t k = 0; k < tr.size(); ++k) CHECK(tr.op_index(tr.cursor(k)) == k);
  CHECK(tr.op_index({2, 0, 0, 0}) == -1);
  CHECK(tr.op_index({0, 0, 0, 6}) == -1);
}

TEST_CASE("seek equals stepping, in both directions and at every level") {
  Rng rng(5);
  for (int trial = 0; trial < 10; ++trial) {
    ConvTrace tr(test::random_problem(rng, 5));
    for (int level = 0; level < tr.level_count(); ++level) {
      Stepper st;
      st.attach(tr);
      st.set_level(tr, level);
      std::vector<int64_t> forward_stops{0};
      while (st.step() < tr.size()) {
        int64_t before = st.step();
        st.forward(tr);
        REQUIRE(st.step() > before);
        forward_stops.push_back(st.step());
      }
      std::vector<int64_t> back_stops{st.step()};
      while (st.step() > 0) {
        st.back(tr);
        back_stops.push_back(st.step());
      }
      std::reverse(back_stops.begin(), back_stops.end());
      CHECK(forward_stops == back_stops);  // the same boundaries either way
      // Level 1 stops are exactly the finished cells.
      if (level == 1)
        for (int64_t s : forward_stops) CHECK(s % tr.ops_per_cell() == 0);
    }
    // Any step reached by stepping equals seeking there directly.
    Stepper a, b;
    a.attach(tr);
    b.attach(tr);
    for (int64_t k = 0; k < std::min<int64_t>(tr.size(), 60); ++k) a.forward(tr);
    b.seek(tr, a.step());
    CHECK(tr.state_at(a.step()).out.data == tr.state_at(b.step()).out.data);
  }
}

TEST_CASE("stepper: play, speed, bounds") {
  ConvTrace tr(ConvLesson().problem());
  Stepper st;
  st.attach(tr);
  st.set_speed(10);
  st.play(tr);
  CHECK(st.tick(tr, 0.2));  // 2 ops
  CHECK(st.step() == 2);
  st.set_speed(1e9);
  CHECK(st.speed() == Stepper::kMaxSpeed);
  st.set_speed(NAN);
  CHECK(st.speed() == Stepper::kMaxSpeed);
  for (int i = 0; i < 100 && st.playing(); ++i) st.tick(tr, 0.25);
  CHECK(st.step() == tr.size());
  CHECK_FALSE(st.playing());  // stops at the end
  st.play(tr);                // from the start again
  CHECK(st.step() == 0);
  st.seek(tr, -5);
  CHECK(st.step() == 0);
  st.seek(tr, tr.size() + 100);
  CHECK(st.step() == tr.size());
}

TEST_CASE("lesson rebuild keeps the learner at the same operation") {
  ConvLesson lesson;
  const ConvTrace& tr0 = lesson.conv_trace();
  int64_t k = tr0.op_index({0, 4, 3, 5});
  lesson.seek(k + 1);
  // Editing the input keeps the same cell and term.
  REQUIRE(lesson.set_input(0, 2, 2, 0.75f) == "");
  Op op;
  REQUIRE(lesson.current_op(&op));
  CHECK(op.target.index == std::vector<int>{0, 4, 3});
  CHECK(lesson.conv_trace().cursor(lesson.step() - 1).term == 5);
  // A bigger layer: same cell, same term.
  ConvShape s = lesson.shape();
  s.F = 3, s.H = 14, s.W = 14;
  REQUIRE(lesson.set_shape(s) == "");
  CHECK(lesson.conv_trace().cursor(lesson.step() - 1).y == 4);
  CHECK(lesson.conv_trace().cursor(lesson.step() - 1).x == 3);
  // An invalid change leaves everything as it was.
  const int64_t before = lesson.step(), version = lesson.version();
  ConvShape bad = lesson.shape();
  bad.stride_h = 0;
  CHECK(lesson.set_shape(bad).find("stride") == 0);
  CHECK(lesson.set_input(0, 99, 0, 1) == "no such input cell");
  CHECK(lesson.set_kernel(0, 0, 0, 0, INFINITY) == "value is not a finite number");
  CHECK(lesson.set_input_preset("nope") == "unknown input preset 'nope'");
  CHECK(lesson.step() == before);
  CHECK(lesson.version() == version);
  // At the end stays at the end.
  lesson.to_end();
  REQUIRE(lesson.set_bias(0, 0.5f) == "");
  CHECK(lesson.step() == lesson.trace().size());
  CHECK(lesson.state().out.data == lesson.conv_trace().result().data);
}

TEST_CASE("number formatting for formulas") {
  CHECK(fmt_num(1.75) == "1.75");
  CHECK(fmt_num(-0.5) == "−0.50");
  CHECK(fmt_num(-0.001) == "−1.00e−03");
  CHECK(fmt_num(0.0) == "0.00");
  CHECK(fmt_num(-0.0) == "0.00");
  CHECK(fmt_num(0.004) == "4.00e−03");
  CHECK(fmt_num(0.005) == "0.01");  // rounds, not misleadingly zero
  CHECK(fmt_factor(-1) == "(−1.00)");
  CHECK(fmt_factor(2) == "2.00");
  CHECK(fmt_index({0, -1, 3}) == "[0,−1,3]");
  CHECK(fmt_fixed(0.004, 2) == "0.00");
  CHECK(fmt_fixed(-0.004, 1) == "0.0");
  CHECK(fmt_fixed(-1.5, 2) == "−1.50");
  CHECK(fmt_fixed(12345.6, 2) == "12346");
}
