// The SVM lesson's deep-link fields. Keys are a public contract:
//   preset=separable|overlap|outlier|few|xor|custom     the point set (default separable)
//   n=<4..10000>          points of a generated set (default 40)
//   seed=<n ≥ 0>          data and sample order (default 1)
//   pts=x,y,l,x,y,l,…     a custom set: coordinates and labels ±1, at most 300 points
//                         (written by url() for hand-edited sets; implies preset=custom)
//   C=<10⁻⁶..10⁶>         the penalty (default 1)
//   solver=sgd|exact      which model the plane decorates: the SGD model at the
//                         current step (default) or the exact optimum
//   schedule=decay|pegasos|constant   the step size (svm_sgd.h; default decay)
//   eta=<(0, 100]>        η of decay and constant (default 0.1; constant needs η·λ ≤ 1)
//   epochs=<1..1000>      (default 10; epochs·n ≤ 10⁶)
//   step=<n>              level=op|sample|epoch
// Each invalid field is named in the returned message and takes its default;
// the others still apply.
#pragma once
#include <string>

#include "svm_lesson.h"
#include "url_state.h"

namespace sw {

constexpr int kSvmMaxUrlPoints = 300;

std::string svm_apply_url(SvmLesson& lesson, const UrlParams& params, UrlParams* unused);

// The lesson's current settings and step as hash fields (without "lesson=").
std::string svm_url(const SvmLesson& lesson);

// Strict decimal number: the whole text must parse and be finite.
bool parse_double(const std::string& text, double* out);

}  // namespace sw
