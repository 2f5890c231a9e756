// Tensor: a dense row-major float array with a shape — all the lessons need.
//
// Deliberately tiny: indexing, a shape and the data. Arithmetic lives in the
// kernels (conv2d.h, ...) where it reads like the formula it implements.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace sw {

using Shape = std::vector<int>;

// Number of elements of a shape; -1 if any extent is negative or the product
// exceeds `limit` (checked before anything is allocated).
int64_t shape_numel(const Shape& shape, int64_t limit = INT64_MAX / 2);

// "3×5×5"
std::string shape_str(const Shape& shape);

struct Tensor {
  Shape shape;
  std::vector<float> data;

  Tensor() = default;
  explicit Tensor(Shape s, float fill = 0.f)
      : shape(std::move(s)), data(shape_numel(shape), fill) {}

  int64_t size() const { return (int64_t)data.size(); }
  float& operator[](int64_t i) { return data[(size_t)i]; }
  float operator[](int64_t i) const { return data[(size_t)i]; }

  // Flat offset of a 3-D / 4-D multi-index (row-major).
  int64_t at3(int a, int b, int c) const { return ((int64_t)a * shape[1] + b) * shape[2] + c; }
  int64_t at4(int a, int b, int c, int d) const {
    return (((int64_t)a * shape[1] + b) * shape[2] + c) * shape[3] + d;
  }
};

}  // namespace sw
