#include "json_io.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace sw {

static std::string type_name(const Json& v) {
  return v.type_name();
}

bool json_check_keys(const Json& obj, const std::vector<std::string>& known, std::string& err) {
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    bool ok = false;
    for (const auto& k : known) ok = ok || it.key() == k;
    if (!ok) {
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      err = "unknown field '" + it.key() + "' (known: " + list + ")";
      return false;
    }
  }
  return true;
}

bool json_number(const Json& v, const std::string& name, double& out, std::string& err) {
  if (!v.is_number()) {
    err = name + " must be a number (got " + type_name(v) + ")";
    return false;
  }
  out = v.get<double>();
  if (!std::isfinite(out)) {
    err = name + " must be a finite number";
    return false;
  }
  return true;
}

bool json_int(const Json& v, const std::string& name, long long lo, long long hi, long long& out,
              std::string& err) {
  double d;
  if (!json_number(v, name, d, err)) return false;
  if (d != std::floor(d)) {
    err = name + " must be a whole number (got " + v.dump() + ")";
    return false;
  }
  if (d < (double)lo || d > (double)hi) {
    err = name + " must be between " + std::to_string(lo) + " and " + std::to_string(hi) +
          " (got " + v.dump() + ")";
    return false;
  }
  out = (long long)d;
  return true;
}

bool json_bool(const Json& v, const std::string& name, bool& out, std::string& err) {
  if (!v.is_boolean()) {
    err = name + " must be true or false (got " + type_name(v) + ")";
    return false;
  }
  out = v.get<bool>();
  return true;
}

bool json_string(const Json& v, const std::string& name, std::string& out, std::string& err) {
  if (!v.is_string()) {
    err = name + " must be a string (got " + type_name(v) + ")";
    return false;
  }
  out = v.get<std::string>();
  return true;
}

bool json_numbers(const Json& v, const std::string& name, size_t max_len, std::vector<float>& out,
                  std::string& err) {
  if (!v.is_array()) {
    err = name + " must be an array of numbers (got " + type_name(v) + ")";
    return false;
  }
  if (v.size() > max_len) {
    err = name + " has " + std::to_string(v.size()) + " entries; at most " +
          std::to_string(max_len) + " allowed";
    return false;
  }
  out.resize(v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    double d;
    if (!json_number(v[i], name + "[" + std::to_string(i) + "]", d, err)) return false;
    if (std::fabs(d) > 3.0e38) {
      err = name + "[" + std::to_string(i) + "] is outside the float range";
      return false;
    }
    out[i] = (float)d;
  }
  return true;
}

bool json_int_pair(const Json& v, const std::string& name, long long lo, long long hi, int out[2],
                   std::string& err) {
  long long a, b;
  if (v.is_number()) {
    if (!json_int(v, name, lo, hi, a, err)) return false;
    out[0] = out[1] = (int)a;
    return true;
  }
  if (!v.is_array() || v.size() != 2) {
    err = name + " must be [rows, columns] or one whole number";
    return false;
  }
  if (!json_int(v[0], name + "[0]", lo, hi, a, err) ||
      !json_int(v[1], name + "[1]", lo, hi, b, err))
    return false;
  out[0] = (int)a, out[1] = (int)b;
  return true;
}

bool json_tensor(const Json& v, const std::string& name, size_t rank, int max_dim,
                 int64_t max_numel, Tensor& out, std::string& err) {
  if (!v.is_object()) {
    err = name + " must be an object {\"shape\": [...], \"data\": [...]}";
    return false;
  }
  if (!json_check_keys(v, {"shape", "data"}, err)) {
    err = name + ": " + err;
    return false;
  }
  if (!v.contains("shape") || !v.contains("data")) {
    err = name + " needs both \"shape\" and \"data\"";
    return false;
  }
  const Json& s = v["shape"];
  if (!s.is_array() || s.size() != rank) {
    err = name + ".shape must be an array of " + std::to_string(rank) + " sizes";
    return false;
  }
  Shape shape(rank);
  for (size_t i = 0; i < rank; ++i) {
    long long d;
    if (!json_int(s[i], name + ".shape[" + std::to_string(i) + "]", 1, max_dim, d, err))
      return false;
    shape[i] = (int)d;
  }
  int64_t n = shape_numel(shape, max_numel);
  if (n < 0) {
    err = name + " of shape " + shape_str(shape) + " exceeds the limit of " +
          std::to_string(max_numel) + " elements";
    return false;
  }
  std::vector<float> data;
  if (!json_numbers(v["data"], name + ".data", (size_t)max_numel, data, err)) return false;
  if ((int64_t)data.size() != n) {
    err = name + ".data has " + std::to_string(data.size()) + " values but shape " +
          shape_str(shape) + " needs " + std::to_string(n);
    return false;
  }
  out.shape = shape;
  out.data = std::move(data);
  return true;
}

Json json_float(float v) {
  // The fewest significant digits that read back as the same float
  // (std::to_chars for float is missing from Emscripten's libc++).
  char buf[32];
  for (int digits = 6; digits <= 9; ++digits) {
    std::snprintf(buf, sizeof buf, "%.*g", digits, (double)v);
    if (std::strtof(buf, nullptr) == v) break;
  }
  return Json(std::strtod(buf, nullptr));
}

Json json_floats(const std::vector<float>& v) {
  Json a = Json::array();
  for (float x : v) a.push_back(json_float(x));
  return a;
}

Json json_tensor_out(const Tensor& t) {
  return Json{{"shape", t.shape}, {"data", json_floats(t.data)}};
}

}  // namespace sw
