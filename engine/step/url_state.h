// URL-hash state: "lesson=conv&H=12&stride=2,1&step=37".
//
// The same text is the web page's deep link and the desktop app's --hash
// option (like floooh's chips, where the URL query is the command line).
// Parsing never fails as a whole: each bad field is reported and skipped.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace sw {

using UrlParams = std::vector<std::pair<std::string, std::string>>;

// Splits on '&' and '=', percent-decodes, drops a leading '#'. Input beyond
// kMaxUrlChars and fields beyond kMaxUrlFields are ignored (and reported).
constexpr size_t kMaxUrlChars = 8192, kMaxUrlFields = 64;
UrlParams parse_url_params(const std::string& text, std::string* message = nullptr);

// Percent-encodes a value for a hash (keeps A–Z a–z 0–9 - _ . , ~).
std::string url_encode(const std::string& value);

// Strict numbers: the whole text must be a decimal integer in [lo, hi].
bool parse_int(const std::string& text, long long lo, long long hi, long long* out);
// "2" (both directions) or "2,1" (rows, columns).
bool parse_int_pair(const std::string& text, long long lo, long long hi, int out[2]);

// Strict decimal number: the whole text must parse and be finite (no "inf",
// "nan", hex or spaces).
bool parse_double(const std::string& text, double* out);

// A strict decimal number (as parse_double) that fits a float: |v| ≤ 3·10³⁸.
// Lessons then apply their own, tighter bounds with a message.
bool parse_float(const std::string& text, float* out);

// "a,b,,c" → {"a", "b", "", "c"}; "" → {""}.
std::vector<std::string> split_list(const std::string& text, char sep);

// Typed cells of a tensor in a link: "i.j.k:value,…" — one index per
// dimension of `shape` (row-major), each inside it. Entries come back in the
// order written, as (flat offset, value). False on any bad entry, or on more
// than `max_items` entries.
bool parse_cell_edits(const std::string& text, const std::vector<int>& shape, size_t max_items,
                      std::vector<std::pair<int64_t, float>>* out);

// The index part of such an entry: flat offset 17 in {2, 3, 4} → "1.1.1".
std::string cell_index_text(int64_t flat, const std::vector<int>& shape);

// The shortest text that reads back as the same double ("0.1", "-1.25",
// "1e-07"); never a '+', which a link decodes as a space ("1e+20" → "1e20").
std::string double_text(double v);

// The length of a hash after the page's URLSearchParams re-encodes it (every
// byte but A–Z a–z 0–9 * - . _ = & becomes %XX, so ',' takes 3): what
// kMaxUrlChars limits when a link is opened in the browser.
size_t url_form_size(const std::string& hash);

// A value safe to quote in a message: at most 32 printable ASCII characters.
std::string quote_value(const std::string& value);

}  // namespace sw
