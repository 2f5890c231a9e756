// The input plane (the network's decision field drawn by shaders/field_frag
// through field_upload/field_draw, the training and held-out points, editing
// by mouse), the loss curves and the gradient size per layer over training.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "edit_queue.h"
#include "format.h"
#include "gpu_fields.h"
#include "mlp_field.h"
#include "mlp_view.h"
#include "plot.h"
#include "theme.h"

namespace sw {

namespace {

constexpr int kGrid = 64;          // the CPU field's resolution (cells per side)
constexpr int kGpuGrid = 128;      // the shader's (cells per side; update_field_probes)
constexpr float kClickSlop = 4.f;  // pixels a press may move and still be a click
constexpr int kFieldSlot = 500;    // field_upload slot of this lesson

// ŷ (n × k) of raw inputs (n × d): scaled as the training data was, then the
// core's own forward pass without dropout (mlp_predict).
std::vector<double> predict(const MlpLesson& l, const MlpNet& net, const std::vector<double>& raw) {
  const MlpScaler& sc = l.mlp_trace().run(0).scaler;
  return mlp_predict(net, mlp_apply_scaler(sc, raw, net.sizes[0]), {}, 0);
}

// Probabilities are drawn centred on the decision threshold ½ (±½ the full
// colour scale); other outputs around 0 with ±1 as the full scale.
bool probability_output(const MlpNet& net) {
  return net.acts.back() == Act::kSigmoid || net.acts.back() == Act::kSoftmax;
}
float field_value(const MlpNet& net, const double* yh) {
  return probability_output(net) ? (float)(yh[net.outputs() > 1 ? 1 : 0] - 0.5) : (float)yh[0];
}

uint64_t weights_key(const MlpNet& net, uint64_t version) {
  uint64_t h = 1469598103934665603ull ^ version;
  for (size_t l = 0; l < net.W.size(); ++l) {
    for (double w : net.W[l]) {
      uint64_t b;
      std::memcpy(&b, &w, 8);
      h = (h ^ b) * 1099511628211ull;
    }
    for (double w : net.b[l]) {
      uint64_t b;
      std::memcpy(&b, &w, 8);
      h = (h ^ b) * 1099511628211ull;
    }
  }
  return h;
}

bool positive_label(const MlpSetup& s, const double* y) {
  if (s.net.loss == LossKind::kCrossEntropy) return y[0] >= 1;
  if (s.net.loss == LossKind::kHinge) return y[0] > 0;
  return y[0] >= 0.5;
}

// The plane's window: the points' extent with a margin, square cells.
void fit_window(const MlpSetup& s, MlpPlaneMap* m) {
  double lo_x = 1e300, hi_x = -1e300, lo_y = 1e300, hi_y = -1e300;
  auto take = [&](const std::vector<double>& x) {
    for (size_t i = 0; i + 1 < x.size(); i += 2)
      lo_x = std::min(lo_x, x[i]), hi_x = std::max(hi_x, x[i]), lo_y = std::min(lo_y, x[i + 1]),
      hi_y = std::max(hi_y, x[i + 1]);
  };
  take(s.x), take(s.xt);
  if (!(lo_x <= hi_x)) lo_x = lo_y = -1, hi_x = hi_y = 1;
  const double cx = 0.5 * (lo_x + hi_x), cy = 0.5 * (lo_y + hi_y);
  const double half = 0.5 * std::max({hi_x - lo_x, hi_y - lo_y, 1e-6}) * 1.15;
  m->lo_x = cx - half, m->hi_x = cx + half, m->lo_y = cy - half, m->hi_y = cy + half;
}

void plane_editing(MlpLesson& l, MlpView& v, bool hovered, int n_points,
                   const std::vector<double>& all_x) {
  const ImGuiIO& io = ImGui::GetIO();
  int hit = -1;
  if (hovered) {
    float best = 81;
    for (int i = 0; i < n_points; ++i) {
      const ImVec2 q = v.map.to_screen(all_x[2 * i], all_x[2 * i + 1]);
      const float d = (q.x - io.MousePos.x) * (q.x - io.MousePos.x) +
                      (q.y - io.MousePos.y) * (q.y - io.MousePos.y);
      if (d <= best) best = d, hit = i;
    }
  }
  v.hover = hit;
  auto round2 = [](double x) { return std::round(x * 100) / 100; };
  if (hovered && ImGui::IsMouseClicked(ImGuiMouseButton_Left))
    v.drag = hit >= 0 ? hit : -2, v.drag_moved = false, v.press_pos = io.MousePos;
  if (v.drag >= 0 && ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
    const float d = std::hypot(io.MousePos.x - v.press_pos.x, io.MousePos.y - v.press_pos.y);
    if (v.drag_moved || d > kClickSlop) {
      v.drag_moved = true;
      double x, y;
      v.map.to_data(io.MousePos, &x, &y);
      const int i = v.drag;
      x = round2(x), y = round2(y);
      if (i < n_points && (x != all_x[2 * i] || y != all_x[2 * i + 1]))
        edit_later([&l, &v, i, x, y] { v.message = l.move_point(i, x, y); });
    }
  }
  if (v.drag != -1 && ImGui::IsMouseReleased(ImGuiMouseButton_Left)) {
    if (v.drag == -2 && hovered) {
      double x, y;
      v.map.to_data(io.MousePos, &x, &y);
      x = round2(x), y = round2(y);
      const double label = io.KeyShift ? 0 : 1;  // plain click: class 1; Shift-click: class 0
      const double y_of = l.setup().net.loss == LossKind::kHinge && label == 0 ? -1 : label;
      edit_later([&l, &v, x, y, y_of] { v.message = l.add_point(x, y, y_of); });
    }
    v.drag = -1;
  }
  if (hovered && hit >= 0 && ImGui::IsMouseClicked(ImGuiMouseButton_Right))
    edit_later([&l, &v, hit] { v.message = l.remove_point(hit); });
  if (hovered && v.drag < 0) {
    if (hit >= 0)
      ImGui::SetTooltip("point %d: (%s, %s)%s\ndrag to move, right-click to delete", hit,
                        fmt_num(all_x[2 * hit]).c_str(), fmt_num(all_x[2 * hit + 1]).c_str(),
                        hit >= (int)(l.setup().x.size() / 2) ? ", held out" : "");
    else
      ImGui::SetTooltip("click: add a class-1 point, Shift-click: a class-0 point");
  }
}

// One input: the data and the network's curve ŷ(x).
void curve_plot(MlpLesson& l, ImVec2 size) {
  const MlpSetup& s = l.setup();
  const MlpTraceState& st = l.state();
  double lo = 1e300, hi = -1e300, ylo = 1e300, yhi = -1e300;
  for (double x : s.x) lo = std::min(lo, x), hi = std::max(hi, x);
  for (double y : s.y) ylo = std::min(ylo, y), yhi = std::max(yhi, y);
  if (!(lo < hi)) lo = -1, hi = 1;
  if (!(ylo < yhi)) ylo = -1, yhi = 1;
  Plot p = plot_begin("mlp-curve", size, {lo, hi},
                      {ylo - 0.2 * (yhi - ylo), yhi + 0.2 * (yhi - ylo)}, "x", "y");
  std::vector<double> raw(200);
  for (int i = 0; i < 200; ++i) raw[i] = lo + (hi - lo) * i / 199.0;
  const std::vector<double> yh = predict(l, st.net, raw);
  const int k = st.net.outputs();
  std::vector<float> xs(200), ys(200);
  for (int i = 0; i < 200; ++i) xs[i] = (float)raw[i], ys[i] = (float)yh[(size_t)i * k];
  std::vector<float> px(s.x.begin(), s.x.end()), py(s.y.begin(), s.y.end());
  plot_points(p, px.data(), py.data(), (int)px.size(), mlp_negative_color(0.8f), 2.5f);
  plot_line(p, xs.data(), ys.data(), 200, mlp_positive_color(), 2.5f);
  plot_end(p);
}

// Points of the plane where the picture can be checked against the CPU:
// centres of cells of the shader's grid, away from every drawn point. Where
// they are depends on the window, the layout and the points (searched only
// when one of those changes: 64 cells against up to 1,250 points); their
// values on the weights (a forward pass of those cells, in each frame of
// live training).
void update_field_probes(MlpLesson& l, MlpView& v, uint64_t weights_key) {
  const MlpSetup& s = l.setup();
  const MlpNet& net = l.state().net;
  const uint64_t where = (uint64_t)std::llround(v.map.lo_x * 1e6) * 31 ^
                         (uint64_t)std::llround(v.map.hi_y * 1e6) * 17 ^
                         (uint64_t)std::llround(v.map.a.x * 8) * 1000003 ^
                         (uint64_t)std::llround(v.map.a.y * 8) * 7919 ^
                         (uint64_t)std::llround(v.map.b.x * 8) * 104729 ^ l.version() * 2654435761u;
  if (where != v.probes_where) {
    v.probes_where = where, v.probes_key = ~0ull;
    v.probe_inputs.clear(), v.probes.clear();
    for (int r = 8; r < kGpuGrid; r += 16)
      for (int c = 8; c < kGpuGrid; c += 16) {
        const double x = v.map.lo_x + (c + 0.5) / kGpuGrid * (v.map.hi_x - v.map.lo_x);
        const double y = v.map.lo_y + (r + 0.5) / kGpuGrid * (v.map.hi_y - v.map.lo_y);
        const ImVec2 q = v.map.to_screen(x, y);
        bool clear = true;
        for (const std::vector<double>* xs : {&s.x, &s.xt})
          for (size_t i = 0; clear && i + 1 < xs->size(); i += 2) {
            const ImVec2 p = v.map.to_screen((*xs)[i], (*xs)[i + 1]);
            clear = std::hypot(p.x - q.x, p.y - q.y) > 10;
          }
        if (!clear) continue;
        v.probe_inputs.push_back(x), v.probe_inputs.push_back(y);
        v.probes.push_back({q.x, q.y, 0, 1});
      }
  }
  if (weights_key == v.probes_key || v.probes.empty()) return;
  v.probes_key = weights_key;
  const std::vector<double> yh = predict(l, net, v.probe_inputs);
  for (size_t i = 0; i < v.probes.size(); ++i) {
    v.probes[i].value = field_value(net, &yh[i * net.outputs()]);
    v.probes[i].vmax = probability_output(net) ? 0.5f : 1.f;
  }
}

// The field's grid on the CPU (the GPU-free tests, or no shader): kGrid² cells.
void draw_field_cpu(MlpLesson& l, MlpView& v, ImDrawList* dl, uint64_t key, float vmax) {
  const MlpNet& net = l.state().net;
  if (key != v.field_key || v.field.size() != (size_t)kGrid * kGrid) {
    std::vector<double> raw((size_t)2 * kGrid * kGrid);
    for (int r = 0; r < kGrid; ++r)
      for (int c = 0; c < kGrid; ++c) {
        raw[2 * ((size_t)r * kGrid + c)] =
            v.map.lo_x + (c + 0.5) / kGrid * (v.map.hi_x - v.map.lo_x);
        raw[2 * ((size_t)r * kGrid + c) + 1] =
            v.map.hi_y - (r + 0.5) / kGrid * (v.map.hi_y - v.map.lo_y);
      }
    const std::vector<double> yh = predict(l, net, raw);
    const int k = net.outputs();
    v.field.resize((size_t)kGrid * kGrid);
    for (size_t i = 0; i < v.field.size(); ++i) {
      const float f = field_value(net, &yh[i * k]);
      v.field[i] = std::isfinite(f) ? f : 0.f;
    }
    v.field_key = key;
  }
  const ImTextureID tex = field_upload(kFieldSlot, key, v.field.data(), nullptr, kGrid, kGrid);
  field_draw(dl, tex, v.map.a, v.map.b, vmax, palette().pending_fill);
}

// The decision field over the plane (raw coordinates; the network sees them
// scaled): the network's forward pass in a fragment shader, one fragment per
// cell of a kGpuGrid² grid (mlp_field.h), drawn scaled with linear filtering;
// on the CPU when there is no shader.
void draw_field(MlpLesson& l, MlpView& v, ImDrawList* dl) {
  const MlpNet& net = l.state().net;
  const float vmax = probability_output(net) ? 0.5f : 1.f;
  const uint64_t key = weights_key(net, l.version()) ^
                       (uint64_t)std::llround(v.map.lo_x * 1e6) * 31 ^
                       (uint64_t)std::llround(v.map.hi_y * 1e6) * 17;
  MlpFieldSpec spec;
  spec.sizes = net.sizes;
  for (Act a : net.acts) spec.acts.push_back((int)a);
  for (double w : mlp_flatten(net)) spec.theta.push_back((float)w);
  const MlpScaler& sc = l.mlp_trace().run(0).scaler;
  for (int d = 0; d < 2; ++d) {
    if (sc.shift.size() > (size_t)d) spec.shift[d] = (float)sc.shift[d];
    if (sc.scale.size() > (size_t)d) spec.scale[d] = (float)sc.scale[d];
  }
  spec.lo[0] = v.map.lo_x, spec.lo[1] = v.map.lo_y, spec.hi[0] = v.map.hi_x,
  spec.hi[1] = v.map.hi_y;
  spec.output = probability_output(net) && net.outputs() > 1 ? 1 : 0;
  spec.threshold = probability_output(net) ? 0.5f : 0.f;
  spec.vmax = vmax;
  spec.key = key;
  update_field_probes(l, v, key);
  const ImTextureID tex = mlp_field_texture(spec, kGpuGrid);
  if (!tex) return draw_field_cpu(l, v, dl, key, vmax);
  // Texture row 0 is the grid's bottom row (x₂ = lo): flip it onto the screen.
  dl->AddImage(tex, v.map.a, v.map.b, ImVec2(0, 1), ImVec2(1, 0));
}

}  // namespace

void mlp_plane(MlpLesson& l, MlpView& v, ImVec2 size) {
  const MlpSetup& s = l.setup();
  const MlpTraceState& st = l.state();
  const Palette& pal = palette();
  if (s.net.sizes[0] == 1) return curve_plot(l, size);
  if (s.net.sizes[0] != 2) {
    ImGui::TextWrapped("%d inputs: no input plane to draw (the graph and the curves still apply).",
                       s.net.sizes[0]);
    return;
  }
  const float side = std::floor(std::min(size.x, size.y));
  const ImVec2 a = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("mlp-plane", ImVec2(side, side),
                         ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
  const bool hovered = ImGui::IsItemHovered();
  if (v.drag < 0) fit_window(s, &v.map);  // hold the window still under a dragged point
  v.map.a = a, v.map.b = ImVec2(a.x + side, a.y + side);
  v.map_valid = true;
  ImDrawList* dl = ImGui::GetWindowDrawList();

  draw_field(l, v, dl);

  // Points: training filled, held-out hollow; the current sample ringed.
  std::vector<double> all_x = s.x;
  all_x.insert(all_x.end(), s.xt.begin(), s.xt.end());
  const int n_train = (int)(s.x.size() / 2), n_all = (int)(all_x.size() / 2);
  const int ty = s.targets();
  dl->PushClipRect(v.map.a, v.map.b, true);
  const float r = n_all > 400 ? 2.5f : 4.f;
  for (int i = 0; i < n_all; ++i) {
    const double* y = i < n_train ? &s.y[(size_t)i * ty] : &s.yt[(size_t)(i - n_train) * ty];
    // The field's colour scale (diverging() of colormap.glsl) is red above
    // the threshold, where the network says class 1, and blue below: class 1
    // points orange, class 0 blue, to match (they were the other way round,
    // and every point sat on the other class's colour).
    const ImU32 col = positive_label(s, y) ? mlp_positive_color() : mlp_negative_color();
    const ImVec2 q = v.map.to_screen(all_x[2 * i], all_x[2 * i + 1]);
    // Segment count 0: ImGui's cached unit circle, no sin/cos per vertex
    // (1,250 points redrawn in every frame of live training).
    // A training point's white rim is a disc under it: two fills cost less
    // than a fill and an anti-aliased outline.
    if (i < n_train) {
      dl->AddCircleFilled(q, r + 0.5f, IM_COL32(255, 255, 255, 200), 0);
      dl->AddCircleFilled(q, r - 0.5f, col, 0);
    } else {
      dl->AddCircle(q, r + 0.5f, col, 0, 2.f);
    }
  }
  if (st.sample >= 0 && st.sample < n_train)
    dl->AddCircle(v.map.to_screen(s.x[2 * st.sample], s.x[2 * st.sample + 1]), r + 4,
                  pal.current_text, 16, 2.5f);
  dl->PopClipRect();
  dl->AddRect(v.map.a, v.map.b, pal.grid_line);
  plane_editing(l, v, hovered, n_all, all_x);
}

void mlp_loss_plot(MlpLesson& l, ImVec2 size) {
  const MlpTraceState& st = l.state();
  const int n = (int)st.losses.size();
  double hi = 1e-12;
  for (double v : st.losses) hi = std::max(hi, std::isfinite(v) ? v : 0);
  for (double v : st.test_losses) hi = std::max(hi, std::isfinite(v) ? v : 0);
  ImGui::TextWrapped("%s", "Loss before each step: training data (orange), held-out data (blue)");
  Plot p =
      plot_begin("mlp-loss", size, {0, (double)std::max(n - 1, 1)}, {0, hi * 1.08}, "step", "L");
  std::vector<float> xs(n), ys(n), ts(st.test_losses.size());
  for (int i = 0; i < n; ++i) xs[i] = (float)i, ys[i] = (float)st.losses[i];
  for (size_t i = 0; i < ts.size(); ++i) ts[i] = (float)st.test_losses[i];
  if (!l.setup().xt.empty() && !ts.empty())
    plot_line(p, xs.data(), ts.data(), (int)std::min(ts.size(), xs.size()),
              mlp_negative_color(0.9f), 1.5f);
  if (n > 0) plot_line(p, xs.data(), ys.data(), n, mlp_positive_color(), 2.f);
  if (n > 0) plot_point(p, n - 1, st.losses.back(), mlp_positive_color(), 4.f);
  plot_end(p);
}

void mlp_grad_plot(MlpLesson& l, ImVec2 size) {
  const MlpTraceState& st = l.state();
  const int steps = (int)st.grad_norms.size(), L = l.setup().net.layers();
  ImGui::TextWrapped("%s", "Gradient size per layer: log₁₀ mean |∂L/∂W| over training");
  // The range from the smallest and largest norm (log10 is increasing): one
  // log10 per plotted value, not three (8,000 values in live training).
  double vlo = 1e300, vhi = -1e300;
  for (const auto& g : st.grad_norms)
    for (double v : g)
      if (v > 0 && std::isfinite(v)) vlo = std::min(vlo, v), vhi = std::max(vhi, v);
  double lo = vlo <= vhi ? std::log10(vlo) : -4, hi = vlo <= vhi ? std::log10(vhi) : 0;
  lo = std::floor(lo), hi = std::ceil(hi + 1e-9);
  Plot p = plot_begin("mlp-grads", size, {0, (double)std::max(steps - 1, 1)}, {lo, hi}, "step",
                      "log₁₀ |g|");
  static const ImU32 kColors[] = {
      IM_COL32(234, 120, 30, 255), IM_COL32(59, 130, 246, 255), IM_COL32(16, 160, 110, 255),
      IM_COL32(200, 60, 160, 255), IM_COL32(140, 110, 40, 255), IM_COL32(90, 90, 200, 255),
      IM_COL32(200, 70, 60, 255),  IM_COL32(60, 150, 170, 255), IM_COL32(120, 120, 120, 255)};
  // Only the steps plot_line would draw (plot_stride): a log10 only for those.
  const int stride = plot_stride(p, steps);
  std::vector<float> xs(steps), ys(steps);
  for (int layer = 0; layer < L; ++layer) {
    int m = 0;
    auto add = [&](int t) {
      const double g = layer < (int)st.grad_norms[t].size() ? st.grad_norms[t][layer] : 0;
      if (g > 0 && std::isfinite(g)) xs[m] = (float)t, ys[m] = (float)std::log10(g), ++m;
    };
    for (int t = 0; t < steps; t += stride) add(t);
    if (steps > 0 && (steps - 1) % stride) add(steps - 1);
    if (m > 0) plot_line(p, xs.data(), ys.data(), m, kColors[layer % 9], 1.8f);
  }
  plot_end(p);
  // The legend: layer colours, and the last step's values across depth.
  // Each entry on the line while it fits, else on the next (a phone is narrow).
  const float right = ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x;
  for (int layer = 0; layer < L; ++layer) {
    const double g =
        steps ? (layer < (int)st.grad_norms.back().size() ? st.grad_norms.back()[layer] : 0) : 0;
    char buf[48];
    std::snprintf(buf, sizeof buf, "W%d %s", layer + 1, steps ? fmt_num(g, 2).c_str() : "—");
    if (layer) {
      ImGui::SameLine();
      if (ImGui::GetCursorScreenPos().x + ImGui::CalcTextSize(buf).x > right) ImGui::NewLine();
    }
    ImGui::PushStyleColor(ImGuiCol_Text, kColors[layer % 9]);
    ImGui::TextUnformatted(buf);
    ImGui::PopStyleColor();
  }
}

}  // namespace sw
