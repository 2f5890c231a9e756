// Network deep links applied one after another: a lesson that keeps its
// trace when a link leaves the setup as it was must still show what a fresh
// lesson given the same link shows (which builds its trace from that link).
#include <doctest/doctest.h>

#include "link_walk.h"
#include "mlp_lesson.h"

using namespace sw;

TEST_CASE("mlp deep link: links one field apart give a fresh lesson's trace") {
  // Each link is the one before with one field changed (or only the step).
  const std::vector<std::string> links = links_one_field_apart(
      "preset=xor&hidden=3&act=tanh&out=sigmoid&loss=bce&data=xor&n=24&noise=0.1&"
      "holdout=0.25&opt=sgd&lr=0.5&steps=3&step=10",
      {"step=40", "lr=0.3", "hidden=3,2", "act=relu", "seed=2", "n=30", "noise=0.2", "holdout=0.3",
       "dropout=0.2", "mode=eval", "batch=8", "shuffle=1", "wd=0.01", "opt=adam", "steps=4",
       "scaling=standardize", "data=circles", "loss=mse", "step=300"});
  // Every op of the first 50, then ever sparser (a trace is thousands of ops).
  CHECK(check_links_like_fresh<MlpLesson>(links, 50) >= 2);  // the step-only links kept it
}
