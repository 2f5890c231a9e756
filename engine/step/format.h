// Number formatting for formulas shown to learners.
//
// Formulas use a typographic minus (U+2212) and two decimals, like a
// textbook: "0.50·(−1.00) → 1.75". Tiny non-zero values switch to
// scientific notation so they never print as a misleading "0.00".
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace sw {

// 1.75, −0.50, 0.00, 3.2e−05; `decimals` fixed-point digits.
std::string fmt_num(double v, int decimals = 2);

// As fmt_num, but negative values wrapped in parentheses, for use as a factor.
std::string fmt_factor(double v, int decimals = 2);

// Fixed-point only (never scientific), for values inside small cells:
// 0.004 → "0.00", −1.5 → "−1.50"; |v| ≥ 1000 → no decimals.
std::string fmt_fixed(double v, int decimals);

// A Python list literal of floats, exact to the float ("[0.5, -1, 0.100000001]"),
// wrapped every 12 values: the data in the "reproduce in Python" exports.
std::string python_floats(const std::vector<float>& v);

// 12,345: a count with thousands separators.
std::string fmt_count(long long n);

// 12 → "₁₂": an index written as a subscript (θ₁₂), so it never reads as
// part of the symbol in a monospaced font (θ0 looks like 00 at 14 px).
std::string fmt_subscript(long long n);

// Two significant digits in scientific notation, typographic minus: 2.4e−07.
// For sizes of rounding differences, where fixed decimals would print 0.00.
std::string fmt_sci(double v);

// "[0,1,2]" with typographic minus for negative coordinates (padding).
std::string fmt_index(const std::vector<int>& index);

}  // namespace sw
