#include "svm_edits.h"

#include <cmath>
#include <cstdio>

#include "url_state.h"

namespace sw {

bool svm_diff(const std::vector<SvmPoint>& base, const std::vector<SvmPoint>& points,
              const std::vector<int>& origin, SvmEdits* out) {
  if (origin.size() != points.size()) return false;
  SvmEdits e;
  std::vector<char> kept(base.size(), 0);
  int last = -1;
  for (size_t j = 0; j < points.size(); ++j) {
    const int o = origin[j];
    const SvmPoint& p = points[j];
    if (o < 0) {
      e.added.push_back(p);
      continue;
    }
    // Generated points keep their order and come before every added one.
    if (o <= last || o >= (int)base.size() || !e.added.empty()) return false;
    last = o;
    kept[o] = 1;
    if (p.x1 != base[o].x1 || p.x2 != base[o].x2) e.moved[o] = {p.x1, p.x2};
    if (p.y != base[o].y) e.flipped.insert(o);
  }
  for (size_t i = 0; i < base.size(); ++i)
    if (!kept[i]) e.deleted.insert((int)i);
  *out = std::move(e);
  return true;
}

void svm_apply_edits(const std::vector<SvmPoint>& base, const SvmEdits& e,
                     std::vector<SvmPoint>* points, std::vector<int>* origin) {
  points->clear();
  origin->clear();
  for (size_t i = 0; i < base.size(); ++i) {
    if (e.deleted.count((int)i)) continue;
    SvmPoint p = base[i];
    auto m = e.moved.find((int)i);
    if (m != e.moved.end()) p.x1 = m->second.first, p.x2 = m->second.second;
    if (e.flipped.count((int)i)) p.y = -p.y;
    points->push_back(p);
    origin->push_back((int)i);
  }
  for (const SvmPoint& p : e.added) {
    points->push_back(p);
    origin->push_back(-1);
  }
}

static std::string index_list(const std::set<int>& s) {
  std::string t;
  for (int i : s) t += (t.empty() ? "" : ",") + std::to_string(i);
  return t;
}

std::string svm_edits_fields(const SvmEdits& e) {
  std::string u;
  auto field = [&](const char* key, const std::string& list) {
    if (!list.empty()) u += (u.empty() ? "" : "&") + std::string(key) + "=" + list;
  };
  std::string moved, added;
  for (const auto& [i, xy] : e.moved)
    moved += (moved.empty() ? "" : ",") + std::to_string(i) + "," + double_text(xy.first) + "," +
             double_text(xy.second);
  for (const SvmPoint& p : e.added)
    added += (added.empty() ? "" : ",") + double_text(p.x1) + "," + double_text(p.x2) + "," +
             (p.y > 0 ? "1" : "-1");
  field("moved", moved);
  field("flipped", index_list(e.flipped));
  field("deleted", index_list(e.deleted));
  field("added", added);
  return u;
}

bool svm_is_edit_key(const std::string& key) {
  return key == "moved" || key == "flipped" || key == "deleted" || key == "added";
}

std::string svm_parse_numbers(const std::string& text, size_t max_values,
                              const std::string& too_many, std::vector<double>* out) {
  out->clear();
  if (text.empty()) return "";
  for (const std::string& item : split_list(text, ',')) {
    double d;
    if (!parse_double(item, &d)) return "numbers separated by commas";
    out->push_back(d);
    if (out->size() > max_values) return too_many;
  }
  return "";
}

std::string svm_points_of(const std::vector<double>& v, std::vector<SvmPoint>* out) {
  if (v.size() % 3) return "triples x,y,label";
  std::vector<SvmPoint> pts;
  for (size_t i = 0; i < v.size(); i += 3) {
    if (v[i + 2] != 1 && v[i + 2] != -1) return "labels must be 1 or -1";
    pts.push_back({v[i], v[i + 1], (int)v[i + 2]});
  }
  *out = std::move(pts);
  return "";
}

// A generated index: a whole number in [0, base_n).
static std::string index_of(double v, int base_n, int* out) {
  if (v != std::floor(v) || v < 0 || v >= base_n) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.10g", v);
    return std::string("index ") + buf + " is not a generated point (0 to " +
           std::to_string(base_n - 1) + ")";
  }
  *out = (int)v;
  return "";
}

static std::string coordinate(double v) {
  return std::fabs(v) > SvmLimits::kMaxCoord ? "coordinates must lie within ±10⁹" : "";
}

std::string svm_parse_edit_field(const std::string& key, const std::string& text, int base_n,
                                 SvmEdits* e) {
  const size_t group = key == "moved" || key == "added" ? 3 : 1;
  std::vector<double> v;
  std::string err = svm_parse_numbers(
      text, group * kSvmMaxUrlEdits, "at most " + std::to_string(kSvmMaxUrlEdits) + " entries", &v);
  if (!err.empty()) return err;
  SvmEdits out = *e;
  if (key == "added") {
    std::vector<SvmPoint> pts;
    if (!(err = svm_points_of(v, &pts)).empty()) return err;
    for (const SvmPoint& p : pts)
      if (!(err = coordinate(p.x1)).empty() || !(err = coordinate(p.x2)).empty()) return err;
    out.added.insert(out.added.end(), pts.begin(), pts.end());
    *e = std::move(out);
    return "";
  }
  if (v.size() % group) return "triples index,x,y";
  for (size_t k = 0; k < v.size(); k += group) {
    int i = -1;
    if (!(err = index_of(v[k], base_n, &i)).empty()) return err;
    const std::string twice = "point " + std::to_string(i) + " is listed twice";
    if (key == "moved") {
      if (!(err = coordinate(v[k + 1])).empty() || !(err = coordinate(v[k + 2])).empty())
        return err;
      if (!out.moved.emplace(i, std::make_pair(v[k + 1], v[k + 2])).second) return twice;
    } else if (key == "flipped") {
      if (!out.flipped.insert(i).second) return twice;
    } else {
      if (!out.deleted.insert(i).second) return twice;
    }
  }
  *e = std::move(out);
  return "";
}

}  // namespace sw
