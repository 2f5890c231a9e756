#include "format.h"

#include <cmath>
#include <cstdio>

namespace sw {

static const char* kMinus = "\u2212";

std::string fmt_num(double v, int decimals) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "∞" : std::string(kMinus) + "∞";
  char buf[64];
  double mag = std::fabs(v);
  double smallest = 0.5 * std::pow(10.0, -decimals);
  if (mag != 0 && (mag < smallest || mag >= 1e9)) {
    std::snprintf(buf, sizeof buf, "%.2e", mag);
    // Render the exponent's sign with the typographic minus too.
    std::string s = buf;
    size_t e = s.find("e-");
    if (e != std::string::npos) s.replace(e, 2, std::string("e") + kMinus);
    size_t ep = s.find("e+");
    if (ep != std::string::npos) s.erase(ep + 1, 1);
    return (v < 0 ? std::string(kMinus) : std::string()) + s;
  }
  std::snprintf(buf, sizeof buf, "%.*f", decimals, mag);
  std::string s = buf;
  bool all_zero = s.find_first_not_of("0.") == std::string::npos;
  return (v < 0 && !all_zero ? std::string(kMinus) : std::string()) + s;
}

std::string fmt_fixed(double v, int decimals) {
  if (!std::isfinite(v)) return fmt_num(v);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", std::fabs(v) >= 1000 ? 0 : decimals, std::fabs(v));
  std::string s = buf;
  bool all_zero = s.find_first_not_of("0.") == std::string::npos;
  return (v < 0 && !all_zero ? std::string(kMinus) : std::string()) + s;
}

std::string fmt_factor(double v, int decimals) {
  std::string s = fmt_num(v, decimals);
  return v < 0 && s.rfind(kMinus, 0) == 0 ? "(" + s + ")" : s;
}

std::string python_floats(const std::vector<float>& v) {
  std::string s = "[";
  char buf[32];
  for (size_t i = 0; i < v.size(); ++i) {
    std::snprintf(buf, sizeof buf, "%s%.9g", i ? ", " : "", (double)v[i]);
    s += buf;
    if (i % 12 == 11 && i + 1 < v.size()) s += "\n    ";
  }
  return s + "]";
}

std::string fmt_index(const std::vector<int>& index) {
  std::string s = "[";
  for (size_t i = 0; i < index.size(); ++i) {
    if (i) s += ",";
    if (index[i] < 0)
      s += std::string(kMinus) + std::to_string(-index[i]);
    else
      s += std::to_string(index[i]);
  }
  return s + "]";
}

std::string fmt_count(long long n) {
  std::string digits = std::to_string(n < 0 ? -(unsigned long long)n : (unsigned long long)n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "\u2212" + out : out;
}

std::string fmt_subscript(long long n) {
  static const char* const kDigits[] = {"₀", "₁", "₂", "₃", "₄", "₅", "₆", "₇", "₈", "₉"};
  std::string out = n < 0 ? "₋" : "";
  for (char d : std::to_string(n < 0 ? -(unsigned long long)n : (unsigned long long)n))
    out += kDigits[d - '0'];
  return out;
}

std::string fmt_sci(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1e", v);
  std::string s = buf;
  for (size_t at; (at = s.find('-')) != std::string::npos;) s.replace(at, 1, "\u2212");
  return s;
}

}  // namespace sw
