// Edit lists: a hand-edited SVM point set written as its difference from the
// set its preset generated, so that a link to 10,000 points with one dragged
// point stays short and still restores every point exactly.
//
// The edited set is the generated points in their order, without the deleted
// ones, moved and relabelled in place, followed by the added points. That is
// the only shape the lesson's own edits make (a drag moves a point in place, a
// right-click removes it, a click appends), so every edit the UI makes fits.
//
// Link fields (indices count in the generated set, 0 … m−1; each list may
// give an index once, in any order; written in ascending order):
//   moved=i,x,y,i,x,y,…   generated point i now lies at (x, y)
//   flipped=i,i,…         generated point i has the other label
//   deleted=i,i,…         generated point i is gone
//   added=x,y,l,x,y,l,…   points appended after the generated ones, label ±1
#pragma once
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "svm_problem.h"

namespace sw {

// Entries a link's edit field may hold (each of the four).
constexpr size_t kSvmMaxUrlEdits = 2000;

struct SvmEdits {
  std::map<int, std::pair<double, double>> moved;  // generated index → (x₁, x₂)
  std::set<int> flipped, deleted;                  // generated indices
  std::vector<SvmPoint> added;
  size_t size() const { return moved.size() + flipped.size() + deleted.size() + added.size(); }
};

// The edits that turn `base` into `points`, where origin[j] is the base index
// point j came from (−1: added). False when the points are not of the shape
// above (reordered, or an added point before a generated one).
bool svm_diff(const std::vector<SvmPoint>& base, const std::vector<SvmPoint>& points,
              const std::vector<int>& origin, SvmEdits* out);

// The edited set and each point's origin (as above). Indices outside `base`
// are skipped (the parsers below never produce them).
void svm_apply_edits(const std::vector<SvmPoint>& base, const SvmEdits& e,
                     std::vector<SvmPoint>* points, std::vector<int>* origin);

// The link fields of `e` ("moved=…&deleted=…", only non-empty lists, no
// leading '&'); numbers exact (double_text).
std::string svm_edits_fields(const SvmEdits& e);

// One link field into `e` (key "moved", "flipped", "deleted" or "added"),
// checked against a generated set of `base_n` points: "" or the rule broken,
// leaving `e` unchanged on error.
std::string svm_parse_edit_field(const std::string& key, const std::string& text, int base_n,
                                 SvmEdits* e);

// "a,b,c,…" → strict numbers (parse_double), at most `max_values`: "" or what
// is wrong ("numbers separated by commas", or `too_many`). "" is an empty list.
std::string svm_parse_numbers(const std::string& text, size_t max_values,
                              const std::string& too_many, std::vector<double>* out);
// Triples x,y,label → points: "" or what is wrong (coordinates are not checked).
std::string svm_points_of(const std::vector<double>& v, std::vector<SvmPoint>* out);

// True for the four keys above.
bool svm_is_edit_key(const std::string& key);

}  // namespace sw
