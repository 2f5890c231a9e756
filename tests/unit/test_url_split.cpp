// Link reading of the conv and SVM lessons, key group by key group: the order
// of the messages, repeated keys, unknown keys and fallbacks (conv_url.cpp,
// svm_url.cpp read each group of keys in its own function).
#include <doctest/doctest.h>

#include <string>

#include "conv_url.h"
#include "svm_url.h"
#include "url_state.h"

using namespace sw;

TEST_CASE("conv link: messages follow the link, bad sizes take their defaults") {
  ConvLesson l;
  UrlParams rest;
  CHECK(conv_apply_url(l, parse_url_params("C=2&H=12&F=2&step=4&level=cell"), &rest) == "");
  CHECK(l.shape().C == 2);
  CHECK(l.stepper().level() == 1);
  std::string msg = conv_apply_url(l, parse_url_params("C=0&H=999&W=x&F=99&KH=0&KW=-1"), &rest);
  CHECK(msg ==
        "C='0' ignored: a whole number from 1 to 64; H='999' ignored: a whole number from 1 to "
        "256; W='x' ignored: a whole number from 1 to 256; F='99' ignored: a whole number from 1 "
        "to 64; KH='0' ignored: a whole number from 1 to 31; KW='-1' ignored: a whole number "
        "from 1 to 31");
  CHECK(conv_url(l) ==
        "C=1&H=10&W=10&F=1&KH=3&KW=3&stride=1&padding=1&dilation=1&act=none&input=digit&kernel="
        "sobel_x&seed=1&level=cell&step=0");  // a link without level keeps the level
  CHECK(rest.empty());
}

TEST_CASE("conv link: geometry, data and view keys") {
  ConvLesson l;
  CHECK(conv_apply_url(l, parse_url_params("stride=0&padding=99&dilation=a&act=tanh&winograd=2"),
                       nullptr) ==
        "stride='0' ignored: 1 to 16, as \"s\" or \"rows,cols\"; padding='99' ignored: 0 to 32, "
        "as \"p\" or \"rows,cols\"; dilation='a' ignored: 1 to 16, as \"d\" or \"rows,cols\"; "
        "act='tanh' ignored: none or relu; winograd='2' ignored: 0 or 1");
  // The seed is read with the other keys; presets are checked after the sizes.
  CHECK(conv_apply_url(l, parse_url_params("input=selfie&kernel=nope&seed=-3"), nullptr) ==
        "seed='-3' ignored: a whole number from 0 to 2⁵²; input='selfie' ignored: an input "
        "preset (digit, edges, checkerboard, gradient, random); kernel='nope' ignored: unknown "
        "kernel preset 'nope'");
  CHECK(l.seed() == 1);
  CHECK(conv_apply_url(l, parse_url_params("F=2&bias=1,x"), nullptr) ==
        "bias='1,x' ignored: one number per filter, comma-separated");
  CHECK(conv_apply_url(l, parse_url_params("F=3&bias=1,2"), nullptr) ==
        "bias='1,2' ignored: one number per filter");
  // A bad repeat of level or step keeps the good value before it, and says so.
  CHECK(conv_apply_url(l, parse_url_params("level=channel&level=bad&step=3&step=x"), nullptr) ==
        "level='bad' ignored: op, cell, channel or layer; step='x' ignored: a whole number ≥ 0");
  CHECK(l.stepper().level() == 2);
  CHECK(l.step() == 3);
  UrlParams rest;
  CHECK(conv_apply_url(l, parse_url_params("level=op&step=10&zoom=3&lesson=conv&foo"), &rest) ==
        "");
  REQUIRE(rest.size() == 3);
  CHECK(rest[0] == std::make_pair(std::string("zoom"), std::string("3")));
  CHECK(rest[1].first == "lesson");
  CHECK(rest[2].first == "foo");
}

TEST_CASE("svm link: messages follow the link, fields fall back one by one") {
  SvmLesson l;
  UrlParams rest;
  CHECK(svm_apply_url(l, parse_url_params("preset=bogus&n=2&seed=-1&data_seed=x"), &rest) ==
        "preset='bogus' ignored: separable, overlap, outlier, few, xor or custom; n='2' ignored: "
        "a whole number from 4 to 10000; seed='-1' ignored: a whole number ≥ 0; data_seed='x' "
        "ignored: a whole number ≥ 0");
  CHECK(svm_apply_url(l, parse_url_params("solver=x&schedule=y&eta=0&epochs=1001"), &rest) ==
        "solver='x' ignored: sgd or exact; schedule='y' ignored: decay, pegasos or constant; "
        "eta='0' ignored: a number greater than 0 and at most 100; epochs='1001' ignored: a "
        "whole number from 1 to 1000");
  CHECK(svm_apply_url(l, parse_url_params("preset=custom"), &rest) ==
        "preset=custom needs pts=x,y,label,…; using separable");
  // Edit keys are read after the generator, whatever their place in the link.
  CHECK(svm_apply_url(l, parse_url_params("moved=5,9,9&deleted=5&data_seed=3"), &rest) ==
        "moved='5,9,9' ignored: point 5 is deleted");
  CHECK(svm_apply_url(l, parse_url_params("pts=0,0,1,1,1,-1,2,0,1,3,3,-1&moved=0,1,1"), &rest) ==
        "moved='0,1,1' ignored: pts= gives the whole set");
  CHECK(svm_url(l) ==
        "preset=custom&pts=0,0,1,1,1,-1,2,0,1,3,3,-1&seed=1&C=1&solver=sgd&schedule=decay&eta="
        "0.1&epochs=10&level=op&step=0");
  CHECK(svm_apply_url(l, parse_url_params("n=10000&epochs=1000"), &rest) ==
        "the training settings do not fit the data (epochs × points = 1000 × 10000 = 10000000 "
        "samples; at most 1000000 allowed); using 10 epochs with the decay schedule kept");
  CHECK(l.config().epochs == 10);
  CHECK(rest.empty());
}

TEST_CASE("svm link: view keys and unknown keys") {
  SvmLesson l;
  CHECK(svm_apply_url(l, parse_url_params("level=sample&level=bad&step=3&step=-2"), nullptr) ==
        "level='bad' ignored: op, sample or epoch; step='-2' ignored: a whole number ≥ 0");
  CHECK(l.stepper().level() == 1);
  CHECK(l.step() == 3);
  UrlParams rest;
  CHECK(svm_apply_url(l, parse_url_params("seed=5&data_seed=9&foo=bar&lesson=svm&x"), &rest) == "");
  CHECK(svm_url(l) ==
        "preset=separable&n=40&seed=5&data_seed=9&C=1&solver=sgd&schedule=decay&eta=0.1&epochs="
        "10&level=sample&step=0");
  REQUIRE(rest.size() == 3);
  CHECK(rest[0] == std::make_pair(std::string("foo"), std::string("bar")));
  CHECK(rest[1].first == "lesson");
  CHECK(rest[2].first == "x");
}
