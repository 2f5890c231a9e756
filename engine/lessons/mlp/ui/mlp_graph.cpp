// The network graph: one column per layer (inputs first), each unit a disc
// coloured by its value for the current sample, each weight a line coloured
// by its sign and strength and thickened by |∂L/∂w| accumulated so far in
// this training step; dropped units grey; the current operation's unit and
// weight ringed.
#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "fonts.h"
#include "format.h"
#include "mlp_view.h"
#include "theme.h"
#include "widgets.h"

namespace sw {

namespace {

ImU32 blend(ImU32 c, float alpha) {
  ImVec4 v = ImGui::ColorConvertU32ToFloat4(c);
  v.w *= std::clamp(alpha, 0.f, 1.f);
  return ImGui::ColorConvertFloat4ToU32(v);
}

// The value a unit shows: its input, or a = f(z)·mask for the current sample.
bool unit_value(const MlpTraceState& st, int col, int j, double* v) {
  if (col == 0) {
    if (j >= (int)st.x.size()) return false;
    *v = st.x[j];
    return true;
  }
  const auto& a = st.values.a;
  if (col - 1 >= (int)a.size() || j >= (int)a[col - 1].size()) return false;
  *v = a[col - 1][j];
  return std::isfinite(*v);
}

// δ = ∂L/∂z of a unit (layers 1 … L), once the backward pass reached it.
bool unit_delta(const MlpTraceState& st, int col, int j, double* v) {
  const auto& d = st.values.delta;
  if (col < 1 || col - 1 >= (int)d.size() || j >= (int)d[col - 1].size()) return false;
  *v = d[col - 1][j];
  return std::isfinite(*v);
}

bool dropped(const MlpTraceState& st, int col, int j) {
  return col >= 1 && col - 1 < (int)st.mask.size() && j < (int)st.mask[col - 1].size() &&
         st.mask[col - 1][j] == 0;
}

// The current op as (column, unit) pairs: the unit written, and for a product
// the other end of its weight.
void current_edge(const MlpTraceState& st, int* c0, int* u0, int* c1, int* u1) {
  *c0 = *c1 = -1;
  if (!st.has_op || st.phase != 1) return;
  const MlpCode& k = st.code;
  switch (k.kind) {
    case MlpOpKind::kMac:
    case MlpOpKind::kGradW:
      *c0 = k.layer + 1, *u0 = k.unit, *c1 = k.layer, *u1 = k.other;
      break;
    case MlpOpKind::kBack:
      *c0 = k.layer + 1, *u0 = k.unit, *c1 = k.layer + 2, *u1 = k.other;
      break;
    case MlpOpKind::kBias:
    case MlpOpKind::kAct:
    case MlpOpKind::kDrop:
    case MlpOpKind::kDyhat:
    case MlpOpKind::kDelta:
    case MlpOpKind::kGradB:
      *c0 = k.layer + 1, *u0 = k.unit;
      break;
    case MlpOpKind::kHDelta:
      *c0 = k.layer + 1, *u0 = k.unit;
      break;
    default:
      break;
  }
}

}  // namespace

ImU32 mlp_negative_color(float alpha) {
  return blend(IM_COL32(59, 130, 246, 255), alpha);
}
ImU32 mlp_positive_color(float alpha) {
  return blend(IM_COL32(234, 120, 30, 255), alpha);
}

void mlp_graph(MlpLesson& l, MlpView& v, ImVec2 size) {
  const Palette& pal = palette();
  const MlpTraceState& st = l.state();
  const MlpNet& net = st.net;
  const int L = net.layers();
  const ImVec2 a = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("mlp-graph", size);
  const bool hovered = ImGui::IsItemHovered();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(a, ImVec2(a.x + size.x, a.y + size.y), pal.panel_bg, 6);
  if (L < 1) return;

  // Unit positions: columns evenly spaced, units centred in each column.
  const float pad = 26, col_gap = (size.x - 2 * pad) / (float)std::max(L, 1);
  int widest = 1;
  for (int s : net.sizes) widest = std::max(widest, s);
  const float row_gap = (size.y - 2 * pad) / (float)widest;
  const float r = std::clamp(std::min(row_gap * 0.36f, col_gap * 0.16f), 3.f, 22.f);
  v.units.assign(L + 1, {});
  for (int c = 0; c <= L; ++c) {
    const int n = net.sizes[c];
    const float x = a.x + pad + col_gap * (float)c;
    const float top = a.y + size.y * 0.5f - row_gap * (float)(n - 1) * 0.5f;
    for (int j = 0; j < n; ++j) v.units[c].push_back(ImVec2(x, top + row_gap * (float)j));
  }

  // Weights, strongest on top; thickness from this step's accumulated |∂L/∂w|.
  const bool have_grads = (int)st.grads.W.size() == L;
  for (int l = 0; l < L; ++l) {
    const int in = net.sizes[l], out = net.sizes[l + 1];
    double wmax = 1e-12, gmax = 1e-300;
    for (double w : net.W[l]) wmax = std::max(wmax, std::fabs(w));
    if (have_grads)
      for (double g : st.grads.W[l]) gmax = std::max(gmax, std::fabs(g));
    for (int j = 0; j < out; ++j)
      for (int i = 0; i < in; ++i) {
        const double w = net.W[l][(size_t)j * in + i];
        const float s = (float)(std::fabs(w) / wmax);
        const double g = have_grads ? std::fabs(st.grads.W[l][(size_t)j * in + i]) : 0;
        const float thick = 1.f + (have_grads && gmax > 1e-300 ? 4.f * (float)(g / gmax) : 0.f);
        dl->AddLine(
            v.units[l][i], v.units[l + 1][j],
            w >= 0 ? mlp_positive_color(0.12f + 0.78f * s) : mlp_negative_color(0.12f + 0.78f * s),
            thick);
      }
  }

  int c0, u0, c1, u1;
  current_edge(st, &c0, &u0, &c1, &u1);
  if (c0 >= 0 && c1 >= 0 && c0 <= L && c1 <= L && u0 < (int)v.units[c0].size() &&
      u1 < (int)v.units[c1].size())
    dl->AddLine(v.units[c0][u0], v.units[c1][u1], pal.current_text, 3.f);

  // Units: the value for this sample (colour and, when they fit, digits).
  ImFont* mono = fonts().mono ? fonts().mono : ImGui::GetFont();
  const float fs = std::clamp(r * 0.62f, 9.f, 13.f);
  for (int c = 0; c <= L; ++c)
    for (int j = 0; j < net.sizes[c]; ++j) {
      const ImVec2 p = v.units[c][j];
      double val;
      const bool known = unit_value(st, c, j, &val);
      ImU32 fill = pal.dark ? IM_COL32(60, 62, 70, 255) : IM_COL32(236, 238, 242, 255);
      if (dropped(st, c, j))
        fill = pal.dark ? IM_COL32(90, 90, 90, 255) : IM_COL32(185, 185, 185, 255);
      else if (known)
        fill = val >= 0 ? mlp_positive_color(0.25f + 0.75f * (float)std::min(1.0, std::fabs(val)))
                        : mlp_negative_color(0.25f + 0.75f * (float)std::min(1.0, std::fabs(val)));
      dl->AddCircleFilled(p, r, fill, 24);
      const bool current = c == c0 && j == u0;
      dl->AddCircle(p, r, current ? pal.current_text : pal.text_dim, 24, current ? 3.f : 1.f);
      if (known && r >= 13) {
        const std::string t = fmt_num(val, 2);
        const ImVec2 ts = mono->CalcTextSizeA(fs, FLT_MAX, 0, t.c_str());
        dl->AddText(mono, fs, ImVec2(p.x - ts.x * 0.5f, p.y - ts.y * 0.5f), pal.text, t.c_str());
      }
      double d;
      if (unit_delta(st, c, j, &d) && r >= 9) {
        const std::string t = "δ " + fmt_num(d, 2);
        const ImVec2 ts = mono->CalcTextSizeA(fs * 0.9f, FLT_MAX, 0, t.c_str());
        dl->AddText(mono, fs * 0.9f, ImVec2(p.x - ts.x * 0.5f, p.y + r + 1), pal.text_dim,
                    t.c_str());
      }
      if (hovered &&
          std::hypot(ImGui::GetIO().MousePos.x - p.x, ImGui::GetIO().MousePos.y - p.y) <= r) {
        std::string tip = c == 0
                              ? "input x" + std::to_string(j + 1)
                              : (c == L ? "output " : "hidden layer " + std::to_string(c) + ", ") +
                                    std::string("unit ") + std::to_string(j + 1);
        if (known) tip += "\nvalue " + fmt_num(val, 6);
        if (c >= 1 && c - 1 < (int)st.values.z.size() && j < (int)st.values.z[c - 1].size())
          tip += "\nz = " + fmt_num(st.values.z[c - 1][j], 6);
        if (unit_delta(st, c, j, &d)) tip += "\nδ = ∂L/∂z = " + fmt_num(d, 6);
        if (dropped(st, c, j)) tip += "\ndropped for this sample";
        ImGui::SetTooltip("%s", tip.c_str());
      }
    }
  // Column captions.
  for (int c = 0; c <= L; ++c) {
    const char* name = c == 0   ? "input"
                       : c == L ? act_name(net.acts[c - 1])
                                : act_name(net.acts[c - 1]);
    const ImVec2 ts = ImGui::CalcTextSize(name);
    dl->AddText(ImVec2(v.units[c][0].x - ts.x * 0.5f, a.y + 4), pal.text_dim, name);
  }
}

}  // namespace sw
