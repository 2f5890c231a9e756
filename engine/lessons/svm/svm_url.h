// The SVM lesson's deep-link fields. Keys are a public contract:
//   preset=separable|overlap|outlier|few|xor|custom     the point set (default separable)
//   n=<4..10000>          points of a generated set (default 40)
//   seed=<n ≥ 0>          data and sample order (default 1)
//   data_seed=<n ≥ 0>     the seed the points were generated with, when it differs
//                         from seed (the seed was changed after editing; default: seed)
//   pts=x,y,l,x,y,l,…     a custom set: coordinates and labels ±1, at most 300 points
//                         (written by url() for hand-edited sets; implies preset=custom)
//   moved= flipped= deleted= added=   hand edits of the generated set (svm_edits.h),
//                         written for edited sets of more than 300 points
//   C=<10⁻⁶..10⁶>         the penalty (default 1)
//   solver=sgd|exact      which model the plane decorates: the SGD model at the
//                         current step (default) or the exact optimum
//   schedule=decay|pegasos|constant   the step size (svm_sgd.h; default decay)
//   eta=<(0, 100]>        η of decay and constant (default 0.1; constant needs η·λ ≤ 1)
//   epochs=<1..1000>      (default 10; epochs·n ≤ 10⁶)
//   step=<n>              level=op|sample|epoch
// Each invalid field is named in the returned message and takes its default;
// the others still apply. Numbers are written exactly (double_text).
#pragma once
#include <string>

#include "svm_lesson.h"
#include "url_state.h"

namespace sw {

constexpr int kSvmMaxUrlPoints = 300;

std::string svm_apply_url(SvmLesson& lesson, const UrlParams& params, UrlParams* unused);

// The lesson's current settings and step as hash fields (without "lesson=").
// A hand-edited set goes in full (pts=) up to 300 points, else as its edits;
// when neither fits the browser's link budget (kMaxUrlChars after the page
// re-encodes it) the link carries the generated set and svm_link_note says so.
std::string svm_url(const SvmLesson& lesson);

// "" or why the link leaves the hand edits out.
std::string svm_link_note(const SvmLesson& lesson);

}  // namespace sw
