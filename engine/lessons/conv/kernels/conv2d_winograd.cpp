#include "kernels/conv2d_winograd.h"

#include <algorithm>
#include <cstring>

#include "kernels/simd.h"

namespace sw::fast {

using namespace simd;

namespace {

constexpr int kM = 4;            // output tile side
constexpr int kA = 6;            // input tile side, kM + 3 − 1
constexpr int kXi = kA * kA;     // 36 elementwise products per tile
constexpr int kFB = 4;           // filters per register tile of the products
constexpr int kVBudget = 16384;  // floats of transformed input per block (64 KiB)

// Bᵀ·d for one column (or row) of six, lane by lane. The rows of Bᵀ are
//   [4 0 −5 0 1 0] [0 −4 −4 1 1 0] [0 4 −4 −1 1 0] [0 −2 −1 2 1 0] [0 2 −1 −2 1 0] [0 4 0 −5 0 1]
// grouped so shared sums are formed once.
inline void input_1d(const f32x4 d[kA], f32x4 t[kA]) {
  const f32x4 four = splat(4.f), five = splat(5.f), two = splat(2.f);
  t[0] = (four * d[0] + d[4]) - five * d[2];
  t[1] = (d[3] + d[4]) - four * (d[1] + d[2]);
  t[2] = (d[4] - d[3]) + four * (d[1] - d[2]);
  t[3] = (d[4] - d[2]) + two * (d[3] - d[1]);
  t[4] = (d[4] - d[2]) - two * (d[3] - d[1]);
  t[5] = (four * d[1] + d[5]) - five * d[3];
}

// Aᵀ·m for one column (or row) of six. Rows of Aᵀ:
//   [1 1 1 1 1 0] [0 1 −1 2 −2 0] [0 1 1 4 4 0] [0 1 −1 8 −8 1]
inline void output_1d(const f32x4 m[kA], f32x4 o[kM]) {
  const f32x4 s12 = m[1] + m[2], d12 = m[1] - m[2];
  const f32x4 s34 = m[3] + m[4], d34 = m[3] - m[4];
  o[0] = (m[0] + s12) + s34;
  o[1] = d12 + splat(2.f) * d34;
  o[2] = s12 + splat(4.f) * s34;
  o[3] = (d12 + splat(8.f) * d34) + m[5];
}

// G·g·Gᵀ for one 3×3 kernel, in double (it is done once per edit, and the
// rounding of 1/6 and 1/24 should not add to the error of every output).
void kernel_transform(const float* k, double u[kA][kA]) {
  auto g_1d = [](double g0, double g1, double g2, double out[kA]) {
    out[0] = g0 / 4;
    out[1] = -(g0 + g1 + g2) / 6;
    out[2] = -(g0 - g1 + g2) / 6;
    out[3] = g0 / 24 + g1 / 12 + g2 / 6;
    out[4] = g0 / 24 - g1 / 12 + g2 / 6;
    out[5] = g2;
  };
  double cols[3][kA];  // G·g, column by column of g
  for (int j = 0; j < 3; ++j) {
    double c[kA];
    g_1d(k[0 * 3 + j], k[1 * 3 + j], k[2 * 3 + j], c);
    for (int i = 0; i < kA; ++i) cols[j][i] = c[i];
  }
  for (int i = 0; i < kA; ++i) g_1d(cols[0][i], cols[1][i], cols[2][i], u[i]);
}

// Row i of four neighbouring tiles' patches: out[j] lane l = p[4l + j],
// j = 0..5. Five loads and two transposes instead of 24 single-float loads
// (the tiles overlap: tile l + 1 starts where tile l's column 4 is). Reads
// p[0..19]; the padded buffer has slack at its end for the last row.
inline void patch_row(const float* p, f32x4 out[kA]) {
  const f32x4 q0 = load(p), q1 = load(p + 4), q2 = load(p + 8), q3 = load(p + 12),
              q4 = load(p + 16);
  const f32x4 lo01 = __builtin_shufflevector(q0, q1, 0, 4, 1, 5);
  const f32x4 hi01 = __builtin_shufflevector(q0, q1, 2, 6, 3, 7);
  const f32x4 lo23 = __builtin_shufflevector(q2, q3, 0, 4, 1, 5);
  const f32x4 hi23 = __builtin_shufflevector(q2, q3, 2, 6, 3, 7);
  out[0] = __builtin_shufflevector(lo01, lo23, 0, 1, 4, 5);
  out[1] = __builtin_shufflevector(lo01, lo23, 2, 3, 6, 7);
  out[2] = __builtin_shufflevector(hi01, hi23, 0, 1, 4, 5);
  out[3] = __builtin_shufflevector(hi01, hi23, 2, 3, 6, 7);
  const f32x4 lo12 = __builtin_shufflevector(q1, q2, 0, 4, 1, 5);
  const f32x4 lo34 = __builtin_shufflevector(q3, q4, 0, 4, 1, 5);
  out[4] = __builtin_shufflevector(lo12, lo34, 0, 1, 4, 5);
  out[5] = __builtin_shufflevector(lo12, lo34, 2, 3, 6, 7);
}

// U[ξ][f0 block][c][q] = (G k[f0 + q, c] Gᵀ)[ξ], filters in blocks of kFB.
void transform_kernels(const float* kernel, int F, int C, WinogradWorkspace& ws) {
  ws.U.resize((size_t)kXi * F * C);
  for (int f0 = 0; f0 < F; f0 += kFB) {
    const int nq = std::min(kFB, F - f0);
    for (int q = 0; q < nq; ++q)
      for (int c = 0; c < C; ++c) {
        double u[kA][kA];
        kernel_transform(kernel + ((int64_t)(f0 + q) * C + c) * 9, u);
        for (int xi = 0; xi < kXi; ++xi)
          ws.U[((size_t)xi * F + f0) * C + (size_t)c * nq + q] = (float)u[xi / kA][xi % kA];
      }
  }
  ws.U_of.assign(kernel, kernel + (size_t)F * C * 9);
  ws.U_F = F, ws.U_C = C;
}

struct Geometry {
  int HO, WO, TH, TW4;  // output size; tile rows; tiles per row rounded up to 4
  int PH, PW;           // padded input
  int RB, NB;           // tile rows per block; tiles per block (RB · TW4)
  // Floats from one ξ to the next in V and M: C·NB (F·NB) plus one cache
  // line, so the 36 streams written and read side by side do not all fall in
  // the same cache set (C·NB·4 bytes is often a multiple of 4 KiB).
  int64_t VX, MX;
};

// Bᵀ d B for tiles n..n+3 of a block, every channel: V[ξ][c][n..n+3].
void transform_inputs(const Geometry& g, int C, int ty0, int rows, const float* padded, float* V) {
  for (int r = 0; r < rows; ++r) {
    for (int tx = 0; tx < g.TW4; tx += 4) {
      const int n = r * g.TW4 + tx;
      for (int c = 0; c < C; ++c) {
        const float* p = padded + ((int64_t)c * g.PH + (int64_t)(ty0 + r) * kM) * g.PW + tx * kM;
        f32x4 t[kA][kA];  // t[i] = row i of the patch times B
        for (int i = 0; i < kA; ++i) {
          f32x4 d[kA];
          patch_row(p + (int64_t)i * g.PW, d);
          input_1d(d, t[i]);
        }
        for (int k = 0; k < kA; ++k) {  // Bᵀ times column k of (d B)
          f32x4 col[kA], v[kA];
          for (int i = 0; i < kA; ++i) col[i] = t[i][k];
          input_1d(col, v);
          for (int i = 0; i < kA; ++i) store(V + (i * kA + k) * g.VX + (int64_t)c * g.NB + n, v[i]);
        }
      }
    }
  }
}

// M[ξ][f][n..] = Σ_c U[ξ][f][c] · V[ξ][c][n..] for FB filters × XB·4 tiles.
template <int FB, int XB>
inline void product_tile(float* M, int64_t m_stride, const float* u, const float* V,
                         int64_t v_stride, int C) {
  f32x4 acc[FB][XB];
  for (int q = 0; q < FB; ++q)
    for (int xb = 0; xb < XB; ++xb) acc[q][xb] = zero();
  for (int c = 0; c < C; ++c) {
    f32x4 v[XB];
    for (int xb = 0; xb < XB; ++xb) v[xb] = load(V + c * v_stride + 4 * xb);
    for (int q = 0; q < FB; ++q) {
      const f32x4 k = splat(u[c * FB + q]);
      for (int xb = 0; xb < XB; ++xb) acc[q][xb] = acc[q][xb] + v[xb] * k;
    }
  }
  for (int q = 0; q < FB; ++q)
    for (int xb = 0; xb < XB; ++xb) store(M + q * m_stride + 4 * xb, acc[q][xb]);
}

template <int FB>
void products_block(float* M, const float* u, const float* V, int NB, int C) {
  int n = 0;
  for (; n + 8 <= NB; n += 8) product_tile<FB, 2>(M + n, NB, u, V + n, NB, C);
  if (n < NB) product_tile<FB, 1>(M + n, NB, u, V + n, NB, C);  // NB is a multiple of 4
}

// The 36 products for one block: filters × channels times channels × tiles.
void products(const Geometry& g, int C, int F, const float* U, const float* V, float* M) {
  for (int xi = 0; xi < kXi; ++xi) {
    const float* Vx = V + xi * g.VX;
    for (int f0 = 0; f0 < F; f0 += kFB) {
      const float* u = U + ((int64_t)xi * F + f0) * C;
      float* Mx = M + xi * g.MX + (int64_t)f0 * g.NB;
      switch (std::min(kFB, F - f0)) {
        case 4:
          products_block<4>(Mx, u, Vx, g.NB, C);
          break;
        case 3:
          products_block<3>(Mx, u, Vx, g.NB, C);
          break;
        case 2:
          products_block<2>(Mx, u, Vx, g.NB, C);
          break;
        default:
          products_block<1>(Mx, u, Vx, g.NB, C);
          break;
      }
    }
  }
}

// Aᵀ m A + b (then ReLU) for every filter and tile of a block, into `out`.
void transform_outputs(const Geometry& g, int F, int ty0, int rows, const float* M,
                       const float* bias, bool relu, float* out) {
  for (int f = 0; f < F; ++f) {
    const f32x4 b = splat(bias[f]);
    float* plane = out + (int64_t)f * g.HO * g.WO;
    for (int r = 0; r < rows; ++r) {
      const int y0 = (ty0 + r) * kM;
      for (int tx = 0; tx < g.TW4; tx += 4) {
        const int n = r * g.TW4 + tx;
        f32x4 t[kA][kM];  // t[k] = Aᵀ · column k of m
        for (int k = 0; k < kA; ++k) {
          f32x4 m[kA];
          for (int i = 0; i < kA; ++i) m[i] = load(M + (i * kA + k) * g.MX + (int64_t)f * g.NB + n);
          output_1d(m, t[k]);
        }
        for (int a = 0; a < kM && y0 + a < g.HO; ++a) {
          f32x4 row[kA], o[kM];
          for (int k = 0; k < kA; ++k) row[k] = t[k][a];
          output_1d(row, o);  // o[col] lane l: output (y0 + a, 4·(tx + l) + col)
          for (int col = 0; col < kM; ++col) {
            o[col] = o[col] + b;
            if (relu) o[col] = max0(o[col]);
          }
          // Transpose so each vector holds one tile's four columns.
          const f32x4 lo01 = __builtin_shufflevector(o[0], o[1], 0, 4, 1, 5);
          const f32x4 hi01 = __builtin_shufflevector(o[0], o[1], 2, 6, 3, 7);
          const f32x4 lo23 = __builtin_shufflevector(o[2], o[3], 0, 4, 1, 5);
          const f32x4 hi23 = __builtin_shufflevector(o[2], o[3], 2, 6, 3, 7);
          const f32x4 tile[4] = {__builtin_shufflevector(lo01, lo23, 0, 1, 4, 5),
                                 __builtin_shufflevector(lo01, lo23, 2, 3, 6, 7),
                                 __builtin_shufflevector(hi01, hi23, 0, 1, 4, 5),
                                 __builtin_shufflevector(hi01, hi23, 2, 3, 6, 7)};
          float* o_row = plane + (int64_t)(y0 + a) * g.WO;
          for (int l = 0; l < 4; ++l) {
            const int x = (tx + l) * kM, n_cols = std::min(kM, g.WO - x);
            if (n_cols >= kM)
              store(o_row + x, tile[l]);
            else
              for (int col = 0; col < n_cols; ++col) o_row[x + col] = tile[l][col];
          }
        }
      }
    }
  }
}

}  // namespace

bool winograd_applies(const ConvShape& s) {
  return s.KH == 3 && s.KW == 3 && s.stride_h == 1 && s.stride_w == 1 && s.dil_h == 1 &&
         s.dil_w == 1;
}

void conv2d_winograd(float* out, const float* in, const float* kernel, const float* bias,
                     const ConvShape& s, WinogradWorkspace& ws) {
  Geometry g;
  g.HO = s.out_h(), g.WO = s.out_w();
  if (s.F <= 0 || g.HO <= 0 || g.WO <= 0) return;
  const int C = s.C, F = s.F;
  g.TH = (g.HO + kM - 1) / kM;
  g.TW4 = ((g.WO + kM - 1) / kM + 3) / 4 * 4;
  g.PH = g.TH * kM + 2, g.PW = g.TW4 * kM + 2;
  g.RB = std::clamp(kVBudget / (kXi * C * g.TW4), 1, g.TH);
  g.NB = g.RB * g.TW4;
  g.VX = (int64_t)C * g.NB + 16, g.MX = (int64_t)F * g.NB + 16;

  // Zero-padded input covering whole tiles; the tiles past the output read
  // zeros and their results are not stored.
  ws.padded.assign((size_t)C * g.PH * g.PW + 4, 0.f);  // + patch_row's overrun
  for (int c = 0; c < C; ++c)
    for (int y = 0; y < s.H; ++y)
      std::copy_n(in + ((int64_t)c * s.H + y) * s.W, s.W,
                  ws.padded.begin() + ((int64_t)c * g.PH + y + s.pad_h) * g.PW + s.pad_w);

  // The transformed kernel is kept while the kernel's bits stay the same
  // (an input edit, a drag of a value): comparing F·C·9 floats is cheaper
  // than transforming them.
  const size_t kernel_size = (size_t)F * C * 9;
  const bool same_kernel = ws.U_F == F && ws.U_C == C && ws.U_of.size() == kernel_size &&
                           std::memcmp(kernel, ws.U_of.data(), kernel_size * sizeof(float)) == 0;
  if (!same_kernel) transform_kernels(kernel, F, C, ws);

  ws.V.resize((size_t)(kXi * g.VX));
  ws.M.resize((size_t)(kXi * g.MX));
  for (int ty0 = 0; ty0 < g.TH; ty0 += g.RB) {
    const int rows = std::min(g.RB, g.TH - ty0);
    transform_inputs(g, C, ty0, rows, ws.padded.data(), ws.V.data());
    // A short last block still multiplies whole NB columns: the rest hold the
    // previous block's values, which are never read back.
    products(g, C, F, ws.U.data(), ws.V.data(), ws.M.data());
    transform_outputs(g, F, ty0, rows, ws.M.data(), bias, s.relu, out);
  }
}

}  // namespace sw::fast
