// Optimizer deep links applied one after another: a lesson that keeps its
// trace when a link leaves the setup as it was must still show what a fresh
// lesson given the same link shows (which builds its trace from that link).
#include <doctest/doctest.h>

#include "link_walk.h"
#include "optim_lesson.h"

using namespace sw;

TEST_CASE("optim deep link: links one field apart give a fresh lesson's trace") {
  // Each link is the one before with one field changed (or only the step).
  const std::vector<std::string> links = links_one_field_apart(
      "preset=valley&surface=quadratic&a=1&b=0&c=20&start=-3,1&steps=12&o1=sgd&o1.lr=0.09&"
      "o2=sgd&o2.lr=0.02&step=5",
      {"step=7", "o1.lr=0.08", "o1.momentum=0.5", "o1.nesterov=1", "start=-3,2", "steps=11", "c=21",
       "o2=adam", "o2.beta2=0.99", "o2.amsgrad=1", "o2.eps=1e-6", "o2.lr=0.03", "a=2",
       "o1.weight_decay=0.1", "o1.momentum=0.6", "step=21"});
  CHECK(check_links_like_fresh<OptimLesson>(links) >= 2);  // the step-only links kept it
}
