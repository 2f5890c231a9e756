#include "conv_presets.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "rng.h"

namespace sw {

const std::vector<std::string>& conv_input_presets() {
  static const std::vector<std::string> k = {"digit", "edges", "checkerboard", "gradient",
                                             "random"};
  return k;
}

const std::vector<std::string>& conv_kernel_presets() {
  static const std::vector<std::string> k = {"identity",  "box",     "gaussian",
                                             "sharpen",   "sobel_x", "sobel_y",
                                             "laplacian", "emboss",  "random"};
  return k;
}

std::string conv_preset_label(const std::string& name) {
  static const std::pair<const char*, const char*> kLabels[] = {{"digit", "Handwritten digit"},
                                                                {"edges", "Edges (square)"},
                                                                {"checkerboard", "Checkerboard"},
                                                                {"gradient", "Gradient"},
                                                                {"random", "Random"},
                                                                {"identity", "Identity"},
                                                                {"box", "Box blur"},
                                                                {"gaussian", "Gaussian blur"},
                                                                {"sharpen", "Sharpen"},
                                                                {"sobel_x", "Sobel x"},
                                                                {"sobel_y", "Sobel y"},
                                                                {"laplacian", "Laplacian"},
                                                                {"emboss", "Emboss"}};
  for (auto& l : kLabels)
    if (name == l.first) return l.second;
  return name;
}

// Distance from point p to segment ab, in unit square coordinates.
static double seg_dist(double px, double py, double ax, double ay, double bx, double by) {
  double dx = bx - ax, dy = by - ay;
  double t = ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy);
  t = std::clamp(t, 0.0, 1.0);
  double ex = px - (ax + t * dx), ey = py - (ay + t * dy);
  return std::sqrt(ex * ex + ey * ey);
}

// A pen-drawn "7" with a crossbar, anti-aliased: ink 1, paper 0.
static double digit_ink(double u, double v) {
  static const double kStrokes[][4] = {{0.24, 0.22, 0.74, 0.20},
                                       {0.74, 0.20, 0.62, 0.45},
                                       {0.62, 0.45, 0.44, 0.84},
                                       {0.42, 0.52, 0.70, 0.52},
                                       {0.24, 0.22, 0.22, 0.30}};
  double d = 1e9;
  for (auto& s : kStrokes) d = std::min(d, seg_dist(u, v, s[0], s[1], s[2], s[3]));
  const double radius = 0.065, soft = 0.06;
  return std::clamp(1.0 - (d - radius) / soft, 0.0, 1.0);
}

// The digit's H × W plane, the same in every channel. The last one drawn is
// kept (per thread): links and rebuilds ask for the same size again and again,
// and each pixel costs 45 segment distances (a third of the conv page fuzz
// target's time).
static const std::vector<float>& digit_plane(int H, int W) {
  thread_local int last_h = -1, last_w = -1;
  thread_local std::vector<float> plane;
  if (H == last_h && W == last_w) return plane;
  plane.assign((size_t)H * W, 0.f);
  for (int y = 0; y < H; ++y)
    for (int x = 0; x < W; ++x) {
      // Supersample 3×3 so small grids still read as a digit.
      double s = 0;
      for (int a = 0; a < 3; ++a)
        for (int b = 0; b < 3; ++b)
          s += digit_ink((x + (a + 0.5) / 3) / W, (y + (b + 0.5) / 3) / H);
      const double val = round_to(s / 9, 1);  // tenths: a clean, readable digit
      plane[(size_t)y * W + x] = (float)round_to(val, 2);
    }
  last_h = H, last_w = W;
  return plane;
}

bool conv_fill_input(Tensor& t, const std::string& name, uint64_t seed) {
  const int C = t.shape[0], H = t.shape[1], W = t.shape[2];
  if (name == "digit") {
    const std::vector<float>& plane = digit_plane(H, W);
    for (int c = 0; c < C; ++c)
      std::copy(plane.begin(), plane.end(), t.data.begin() + (int64_t)c * H * W);
    return true;
  }
  Rng rng(seed);
  for (int c = 0; c < C; ++c)
    for (int y = 0; y < H; ++y)
      for (int x = 0; x < W; ++x) {
        // Pixel centres in the unit square.
        double u = (x + 0.5) / W, v = (y + 0.5) / H, val;
        if (name == "edges") {
          val = (u > 0.25 && u < 0.75 && v > 0.25 && v < 0.75) ? 1.0 : 0.0;
        } else if (name == "checkerboard") {
          int block = std::max(1, std::min(H, W) / 8) * (1 + c % 2);
          val = ((x / block + y / block) % 2) ? 1.0 : 0.0;
        } else if (name == "gradient") {
          val =
              (c % 2 == 0) ? (W > 1 ? (double)x / (W - 1) : 0) : (H > 1 ? (double)y / (H - 1) : 0);
        } else if (name == "random") {
          val = rng.uniform(-1, 1);
        } else {
          return false;
        }
        t[t.at3(c, y, x)] = (float)round_to(val, 2);
      }
  return true;
}

bool conv_kernel_preset_is_3x3(const std::string& name) {
  return name == "sharpen" || name == "sobel_x" || name == "sobel_y" || name == "laplacian" ||
         name == "emboss";
}

// Binomial coefficient row n: the discrete Gaussian (1 2 1, 1 4 6 4 1, ...).
static std::vector<double> binomial(int n) {
  std::vector<double> r(n, 1.0);
  for (int i = 1; i < n; ++i)
    for (int j = i - 1; j > 0; --j) r[j] += r[j - 1];
  return r;
}

bool conv_fill_kernel(Tensor& t, const std::string& name, uint64_t seed) {
  const int F = t.shape[0], C = t.shape[1], KH = t.shape[2], KW = t.shape[3];
  static const double k3[][9] = {{0, -1, 0, -1, 5, -1, 0, -1, 0},  // sharpen
                                 {-1, 0, 1, -2, 0, 2, -1, 0, 1},   // sobel_x
                                 {-1, -2, -1, 0, 0, 0, 1, 2, 1},   // sobel_y
                                 {0, 1, 0, 1, -4, 1, 0, 1, 0},     // laplacian
                                 {-2, -1, 0, -1, 1, 1, 0, 1, 2}};  // emboss
  const char* k3_names[] = {"sharpen", "sobel_x", "sobel_y", "laplacian", "emboss"};
  Rng rng(seed ^ 0x6b65726e656cull);
  const std::vector<double> gy = binomial(KH), gx = binomial(KW);
  double gsum = 0;
  for (double a : gy)
    for (double b : gx) gsum += a * b;
  if (conv_kernel_preset_is_3x3(name) && (KH != 3 || KW != 3)) return false;
  for (int f = 0; f < F; ++f)
    for (int c = 0; c < C; ++c)
      for (int i = 0; i < KH; ++i)
        for (int j = 0; j < KW; ++j) {
          double v;
          if (name == "identity")
            v = (i == KH / 2 && j == KW / 2) ? 1 : 0;
          else if (name == "box")
            v = 1.0 / (KH * KW);
          else if (name == "gaussian")
            v = gy[i] * gx[j] / gsum;
          else if (name == "random")
            v = round_to(rng.uniform(-1, 1), 2);
          else {
            int which = -1;
            for (int n = 0; n < 5; ++n)
              if (name == k3_names[n]) which = n;
            if (which < 0) return false;
            v = k3[which][i * 3 + j];
          }
          t[t.at4(f, c, i, j)] = (float)v;
        }
  return true;
}

}  // namespace sw
