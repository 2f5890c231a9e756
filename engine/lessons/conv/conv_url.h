// The convolution lesson's deep-link fields. Keys are a public contract:
//   C H W F KH KW        sizes                 stride padding dilation   "2" or "rows,cols"
//   act=none|relu        input=<preset>        kernel=<preset>           seed=<n>
//   step=<n>             level=op|cell|channel|layer
//   bias=b0,b1,…         in_edits=c.y.x:v,…   k_edits=f.c.i.j:v,…   hand edits over the presets
#pragma once
#include <string>

#include "conv_lesson.h"
#include "url_state.h"

namespace sw {

// Applies the conv fields of `params` (others are left for the caller and
// listed in `unused`). Returns a message naming each invalid field; invalid
// fields fall back to their defaults, the rest still apply.
std::string conv_apply_url(ConvLesson& lesson, const UrlParams& params, UrlParams* unused);

// The lesson's current settings and step as hash fields (without "lesson=").
std::string conv_url(const ConvLesson& lesson);

}  // namespace sw
