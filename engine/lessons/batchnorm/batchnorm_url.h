// The batch-norm lesson's deep-link fields. Keys are a public contract:
//   N C              batch size and channels                    (8, 2)
//   H W              feature-map size; either one present makes the input N×C×H×W
//   shape=N,C | N,C,H,W   the same sizes in one field (instead of N C H W)
//   preset=scales|outlier|constant|single|random                 (scales)
//   seed=<n>         the population and every draw from it      (1)
//   mode=train|inference                                        (train)
//   convention=pytorch|keras                                    (pytorch)
//   epsilon=<x>      (0 < ε ≤ 1; default: the convention's, 1e-5 or 1e-3)
//   momentum=<x>     (0 ≤ m ≤ 1; default: the convention's, 0.1 or 0.99)
//   gamma=1,1.5  beta=0,0.2     one value per channel             (1 and 0)
//   batch=<n>        which draw from the population the batch is (0)
//   updates=<n>      running-statistics updates seen before it  (0)
//   rmean=…  rvar=…  the running mean and variance before this batch (0 and 1)
//   backward=0|1     add the backward pass with a seeded upstream gradient (0)
//   x_edits=n.c:v,…  cells typed over the drawn batch (n.c.h.w:v for feature maps; ≤ 256)
//   step=<n>         level=op|element|channel|batch
// A link describes the whole lesson: fields it leaves out take their defaults.
#pragma once
#include <string>

#include "batchnorm_lesson.h"
#include "url_state.h"

namespace sw {

// Typed cells carried by a link (x_edits=…); more are left out of links.
constexpr size_t kMaxLinkEdits = 256;

// Applies the batchnorm fields of `params` (others go to `unused`). Returns a
// message naming each invalid field; invalid fields fall back to their
// defaults, the rest still apply.
std::string bn_apply_url(BnLesson& lesson, const UrlParams& params, UrlParams* unused);

// The lesson's settings, running statistics and step as hash fields (without "lesson=").
std::string bn_url(const BnLesson& lesson);

// Strict decimal number (the whole text; finite); used for ε, m, γ, β and statistics.
bool parse_float(const std::string& text, float* out);
// Comma-separated numbers.
bool parse_float_list(const std::string& text, std::vector<float>* out);
// The shortest text that reads back as the same float ("0.1", "1e-05").
std::string float_text(float v);

}  // namespace sw
