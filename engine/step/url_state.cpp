#include "url_state.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace sw {

static int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static std::string decode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() + 0 && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += (char)(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else if (s[i] == '+') {
      out += ' ';
    } else {
      out += s[i];
    }
  }
  return out;
}

UrlParams parse_url_params(const std::string& text, std::string* message) {
  std::string s = text.substr(0, kMaxUrlChars);
  if (text.size() > kMaxUrlChars && message)
    *message += "the link is too long; its end was ignored; ";
  if (!s.empty() && s[0] == '#') s.erase(0, 1);
  UrlParams out;
  size_t pos = 0;
  while (pos < s.size()) {
    size_t amp = s.find('&', pos);
    if (amp == std::string::npos) amp = s.size();
    std::string kv = s.substr(pos, amp - pos);
    pos = amp + 1;
    if (kv.empty()) continue;
    if (out.size() == kMaxUrlFields) {
      if (message) *message += "too many fields in the link; the rest were ignored; ";
      break;
    }
    size_t eq = kv.find('=');
    out.emplace_back(decode(kv.substr(0, eq)),
                     eq == std::string::npos ? "" : decode(kv.substr(eq + 1)));
  }
  return out;
}

std::string url_encode(const std::string& v) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : v) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == ',' || c == '~')
      out += (char)c;
    else
      out += '%', out += kHex[c >> 4], out += kHex[c & 15];
  }
  return out;
}

bool parse_int(const std::string& t, long long lo, long long hi, long long* out) {
  if (t.empty() || t.size() > 19) return false;
  size_t i = t[0] == '-' ? 1 : 0;
  if (i == t.size()) return false;
  for (size_t j = i; j < t.size(); ++j)
    if (t[j] < '0' || t[j] > '9') return false;
  errno = 0;
  long long v = std::strtoll(t.c_str(), nullptr, 10);
  if (errno || v < lo || v > hi) return false;
  *out = v;
  return true;
}

bool parse_int_pair(const std::string& t, long long lo, long long hi, int out[2]) {
  size_t comma = t.find(',');
  long long a, b;
  if (comma == std::string::npos) {
    if (!parse_int(t, lo, hi, &a)) return false;
    out[0] = out[1] = (int)a;
    return true;
  }
  if (!parse_int(t.substr(0, comma), lo, hi, &a) || !parse_int(t.substr(comma + 1), lo, hi, &b))
    return false;
  out[0] = (int)a, out[1] = (int)b;
  return true;
}

bool parse_double(const std::string& t, double* out) {
  if (t.empty() || t.size() > 40) return false;
  for (char ch : t)
    if (!((ch >= '0' && ch <= '9') || ch == '.' || ch == '-' || ch == '+' || ch == 'e' ||
          ch == 'E'))
      return false;  // no "inf", "nan", hex or spaces
  char* end = nullptr;
  errno = 0;
  double v = std::strtod(t.c_str(), &end);
  if (errno || end != t.c_str() + t.size() || !std::isfinite(v)) return false;
  *out = v;
  return true;
}

bool parse_float(const std::string& t, float* out) {
  double v;
  if (!parse_double(t, &v) || std::fabs(v) > 3.0e38) return false;
  *out = (float)v;
  return true;
}

std::vector<std::string> split_list(const std::string& s, char sep) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= s.size()) {
    size_t at = s.find(sep, pos);
    if (at == std::string::npos) at = s.size();
    out.push_back(s.substr(pos, at - pos));
    pos = at + 1;
  }
  return out;
}

bool parse_cell_edits(const std::string& text, const std::vector<int>& shape, size_t max_items,
                      std::vector<std::pair<int64_t, float>>* out) {
  const std::vector<std::string> items = split_list(text, ',');
  if (items.size() > max_items) return false;
  std::vector<std::pair<int64_t, float>> edits;
  for (const std::string& item : items) {
    const size_t colon = item.find(':');
    if (colon == std::string::npos) return false;
    const std::vector<std::string> idx = split_list(item.substr(0, colon), '.');
    if (idx.size() != shape.size()) return false;
    int64_t flat = 0;
    for (size_t d = 0; d < idx.size(); ++d) {
      long long v;
      if (!parse_int(idx[d], 0, shape[d] - 1, &v)) return false;
      flat = flat * shape[d] + v;
    }
    float value;
    if (!parse_float(item.substr(colon + 1), &value)) return false;
    edits.emplace_back(flat, value);
  }
  *out = std::move(edits);
  return true;
}

std::string cell_index_text(int64_t flat, const std::vector<int>& shape) {
  std::vector<int> idx(shape.size());
  for (size_t d = shape.size(); d-- > 0;) idx[d] = (int)(flat % shape[d]), flat /= shape[d];
  std::string s;
  for (size_t d = 0; d < idx.size(); ++d) s += (d ? "." : "") + std::to_string(idx[d]);
  return s;
}

std::string double_text(double v) {
  char buf[40];
  for (int digits = 15; digits <= 17; ++digits) {
    std::snprintf(buf, sizeof buf, "%.*g", digits, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  std::string s = buf;
  size_t e = s.find("e+");
  if (e != std::string::npos) s.erase(e + 1, 1);
  return s;
}

size_t url_form_size(const std::string& hash) {
  size_t n = 0;
  for (unsigned char c : hash)
    n += std::isalnum(c) || c == '*' || c == '-' || c == '.' || c == '_' || c == '=' || c == '&'
             ? 1
             : 3;
  return n;
}

std::string quote_value(const std::string& v) {
  std::string out;
  for (unsigned char c : v) {
    if (out.size() >= 32) return "'" + out + "…'";
    out += (c >= 32 && c < 127) ? (char)c : '?';
  }
  return "'" + out + "'";
}

}  // namespace sw
