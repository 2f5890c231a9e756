#include "conv_view.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "colormap.h"
#include "conv_presets.h"
#include "edit_queue.h"
#include "fonts.h"
#include "format.h"
#include "gpu_fields.h"
#include "theme.h"
#include "widgets.h"

namespace sw {

namespace {

// Maps with more cells than this are drawn as one texture through the GPU
// colormap instead of one rectangle per cell.
constexpr int kMaxRectCells = 2500;
// Cells at least this wide show their values as numbers.
constexpr float kValuesMinCell = 26;

float max_abs(const std::vector<float>& v) {
  float m = 0;
  for (float x : v) m = std::max(m, std::fabs(x));
  return m > 0 ? m : 1.f;
}

void note_error(ConvView& view, const std::string& err) {
  view.message = err;
}

// Slider over an int that applies through set_shape (validated there).
bool shape_slider(const char* label, int* v, int lo, int hi, const char* tip = nullptr) {
  ImGui::SetNextItemWidth(-90);
  bool changed = sw::slider_int(label, v, lo, hi, "%d", ImGuiSliderFlags_AlwaysClamp);
  if (tip && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tip);
  return changed;
}

struct CellDraw {
  float value = 0;
  enum Kind { kValue, kPadding, kPending } kind = kValue;
};

// Text for a value inside a cell of width `cell`, in font `f` at size `fs`:
// decimals shrink until the text fits ("25.45" was cut in a 36 px cell).
const char* cell_text(float v, float cell, ImFont* f, float fs, char* buf, size_t n) {
  for (int dec = cell >= 36 ? 2 : 1;; --dec) {
    std::snprintf(buf, n, "%s", fmt_fixed(v, dec).c_str());
    if (dec == 0 || f->CalcTextSizeA(fs, FLT_MAX, 0, buf).x <= cell - 3) return buf;
  }
}

// Draws a rows×cols grid of cells with values when they fit.
template <class CellFn>
void draw_cells(ImDrawList* dl, ImVec2 o, int rows, int cols, float cell, float vmax, CellFn fn) {
  const Palette& pal = palette();
  ImFont* f = fonts().small ? fonts().small : ImGui::GetFont();
  const float fs = f->FontSize * ImGui::GetIO().FontGlobalScale;
  const bool values = cell >= kValuesMinCell;
  const bool lines = cell >= 6;
  char buf[32];
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) {
      ImVec2 a(o.x + c * cell, o.y + r * cell), b(a.x + cell, a.y + cell);
      CellDraw d = fn(r, c);
      if (d.kind == CellDraw::kPadding) {
        dl->AddRectFilled(a, b, pal.padding_fill);
        if (values) centred_text(dl, f, fs, a, b, pal.padding_text, "0");
      } else if (d.kind == CellDraw::kPending) {
        dl->AddRectFilled(a, b, pal.pending_fill);
      } else {
        ImVec4 col = diverging(d.value / vmax);
        dl->AddRectFilled(a, b, ImGui::ColorConvertFloat4ToU32(col));
        if (values)
          centred_text(dl, f, fs, a, b, text_on(col),
                       cell_text(d.value, cell, f, fs, buf, sizeof buf));
      }
      if (lines) dl->AddRect(a, b, pal.grid_line, 0, 0, 1.f);
    }
  dl->AddRect(o, ImVec2(o.x + cols * cell, o.y + rows * cell), pal.grid_line, 0, 0, 1.f);
}

void outline(ImDrawList* dl, ImVec2 o, float cell, int r, int c, ImU32 col, float thick) {
  ImVec2 a(o.x + c * cell, o.y + r * cell);
  float inset = thick * 0.5f;
  dl->AddRect(ImVec2(a.x + inset, a.y + inset), ImVec2(a.x + cell - inset, a.y + cell - inset), col,
              0, 0, thick);
}

// Which (row, column) of a grid the mouse is over, if any.
bool hovered_cell(ImVec2 o, int rows, int cols, float cell, int* r, int* c) {
  ImVec2 m = ImGui::GetIO().MousePos;
  if (!ImGui::IsWindowHovered(ImGuiHoveredFlags_AllowWhenBlockedByActiveItem)) return false;
  int cc = (int)std::floor((m.x - o.x) / cell), rr = (int)std::floor((m.y - o.y) / cell);
  if (rr < 0 || rr >= rows || cc < 0 || cc >= cols) return false;
  *r = rr, *c = cc;
  return true;
}

void label(ImDrawList* dl, ImVec2 pos, const std::string& text, ImU32 col) {
  ImFont* f = fonts().ui ? fonts().ui : ImGui::GetFont();
  dl->AddText(f, f->FontSize * ImGui::GetIO().FontGlobalScale, pos, col, text.c_str());
}

}  // namespace

std::string conv_out_size_text(const ConvShape& s, bool rows) {
  const int n = rows ? s.H : s.W, k = rows ? s.KH : s.KW, st = rows ? s.stride_h : s.stride_w;
  const int p = rows ? s.pad_h : s.pad_w, d = rows ? s.dil_h : s.dil_w;
  const int out = rows ? s.out_h() : s.out_w();
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "%s = ⌊(%s + 2p − d(k−1) − 1)/s⌋ + 1 = ⌊(%d + 2·%d − %d·(%d−1) − 1)/%d⌋ + 1 = %d",
                rows ? "H_out" : "W_out", rows ? "H" : "W", n, p, d, k, st, out);
  return buf;
}

// How a fast library would compute this layer, and how far its numbers land
// from the direct sums the trace steps through.
void winograd_section(ConvLesson& lesson) {
  const Palette& pal = palette();
  section("Fast algorithm");
  bool on = lesson.winograd_enabled();
  if (ImGui::Checkbox("Compare with Winograd F(4×4, 3×3)", &on)) lesson.set_winograd_enabled(on);
  help_marker(
      "Fast libraries (cuDNN, XNNPACK in TensorFlow.js) compute 3×3 layers by Winograd's minimal "
      "filtering: each 4×4 output tile takes 36 products per channel instead of 144. The "
      "transforms reorder the sums, so the results differ from the direct sums in the last bits.");
  if (!on) return;
  const WinogradComparison& w = lesson.winograd();
  ImGui::PushStyleColor(ImGuiCol_Text, pal.text_dim);
  if (!w.applies) {
    ImGui::TextWrapped("%s.", w.why_not.c_str());
  } else if (ImGui::BeginTable("winograd", 2, ImGuiTableFlags_SizingStretchProp)) {
    // One figure per row: wrapped prose would break a number at its '.'.
    auto row = [](const char* what, const std::string& value) {
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(what);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(value.c_str());
    };
    char ratio[32];
    std::snprintf(ratio, sizeof ratio, "%.2f× fewer",
                  w.multiplies ? (double)w.direct_multiplies / (double)w.multiplies : 0.0);
    row("products", fmt_count(w.multiplies));
    row("direct products", fmt_count(w.direct_multiplies));
    row("", ratio);
    row("values that differ", fmt_count(w.differing) + " of " + fmt_count(w.output.size()));
    row("largest difference", fmt_sci(w.max_abs_diff));
    row("relative to Σ|x·k|+|b| of the cell", fmt_sci(w.max_scaled));
    row("relative to its 4×4 tile's Σ|x|·Σ|k|+|b|", fmt_sci(w.max_tile_scaled));
    row("stated bound (per tile)", fmt_sci(fast::kWinogradTileTolerance));
    ImGui::EndTable();
  }
  ImGui::PopStyleColor();
}

// ---------------------------------------------------------------------------
// The last edit's error, in red, until the next edit.
static void conv_message(const ConvView& view) {
  if (view.message.empty()) return;
  ImGui::PushStyleColor(ImGuiCol_Text,
                        palette().dark ? IM_COL32(255, 130, 120, 255) : IM_COL32(190, 30, 30, 255));
  ImGui::TextWrapped("%s", view.message.c_str());
  ImGui::PopStyleColor();
}

// Cross-correlation vs convolution, and the switch to the flipped kernel.
static void conv_intro(ConvView& view) {
  const Palette& pal = palette();
  ImGui::PushStyleColor(ImGuiCol_Text, pal.text_dim);
  ImGui::TextWrapped(
      "Deep-learning frameworks compute cross-correlation: the kernel slides over the input "
      "without being flipped.");
  ImGui::PopStyleColor();
  ImGui::Checkbox("Show flipped kernel (true convolution)", &view.show_flipped);
}

// Input preset, shape, seed and the brush. Returns whether `s` changed.
static bool conv_input_section(ConvLesson& lesson, ConvView& view, ConvShape& s) {
  bool shape_changed = false;
  section("Input");
  const auto& inputs = conv_input_presets();
  if (ImGui::BeginCombo("preset##in", conv_preset_label(lesson.input_preset()).c_str())) {
    for (const auto& name : inputs)
      if (ImGui::Selectable(conv_preset_label(name).c_str(), name == lesson.input_preset()))
        note_error(view, lesson.set_input_preset(name));
    ImGui::EndCombo();
  }
  shape_changed |= shape_slider("channels C", &s.C, 1, 4);
  shape_changed |= shape_slider("height H", &s.H, 1, 128);
  shape_changed |= shape_slider("width W", &s.W, 1, 128);
  // 64-bit, so that any seed a link can carry (up to 2⁵²) shows as it is.
  long long seed = (long long)lesson.seed();
  const long long one = 1;
  ImGui::SetNextItemWidth(-90);
  if (ImGui::InputScalar("seed", ImGuiDataType_S64, &seed, &one))
    note_error(view,
               seed < 0 ? "the seed must be a whole number ≥ 0" : lesson.set_seed((uint64_t)seed));
  ImGui::SetNextItemWidth(-90);
  // Ctrl+click types a value: keep it in the slider's range, and finite.
  sw::slider_float("brush", &view.brush, -1.f, 1.f, "%.2f", ImGuiSliderFlags_AlwaysClamp);
  if (!std::isfinite(view.brush)) view.brush = 1.f;
  help_marker("Drag on the input to paint this value; right-drag paints 0.");

  return shape_changed;
}

// Kernel preset, shape and biases. Returns whether `s` changed (a 3×3 preset
// applies its size at once and reloads `s`).
static bool conv_kernel_section(ConvLesson& lesson, ConvView& view, ConvShape& s) {
  const Palette& pal = palette();
  bool shape_changed = false;
  section("Kernel");
  if (ImGui::BeginCombo("preset##k", conv_preset_label(lesson.kernel_preset()).c_str())) {
    for (const auto& name : conv_kernel_presets()) {
      if (ImGui::Selectable(conv_preset_label(name).c_str(), name == lesson.kernel_preset())) {
        // The fixed 3×3 kernels bring their size with them.
        if (conv_kernel_preset_is_3x3(name) && (s.KH != 3 || s.KW != 3)) {
          ConvShape t = lesson.shape();
          t.KH = t.KW = 3;
          note_error(view, lesson.set_shape(t));
          s = lesson.shape();
        }
        note_error(view, lesson.set_kernel_preset(name));
      }
    }
    ImGui::EndCombo();
  }
  shape_changed |= shape_slider("filters F", &s.F, 1, 4);
  shape_changed |= shape_slider("kernel KH", &s.KH, 1, 7);
  shape_changed |= shape_slider("kernel KW", &s.KW, 1, 7);
  for (int f = 0; f < lesson.shape().F; ++f) {
    float b = lesson.problem().bias[f];
    char name[32];
    std::snprintf(name, sizeof name, "bias b[%d]", f);
    ImGui::SetNextItemWidth(-90);
    if (ImGui::InputFloat(name, &b, 0.1f, 1.f, "%.2f")) note_error(view, lesson.set_bias(f, b));
  }
  ImGui::PushStyleColor(ImGuiCol_Text, pal.text_dim);
  ImGui::TextWrapped("Click a kernel cell to type its value.");
  ImGui::PopStyleColor();

  return shape_changed;
}

// Stride, padding ("valid", "same"), dilation and ReLU. Returns whether `s` changed.
static bool conv_geometry_section(ConvView& view, ConvShape& s) {
  const Palette& pal = palette();
  bool shape_changed = false;
  section("Geometry");
  shape_changed |= shape_slider("stride rows", &s.stride_h, 1, 4);
  shape_changed |= shape_slider("stride cols", &s.stride_w, 1, 4);
  shape_changed |= shape_slider("padding rows", &s.pad_h, 0, 4);
  shape_changed |= shape_slider("padding cols", &s.pad_w, 0, 4);
  if (ImGui::Button("\"valid\" (no padding)")) {
    s.pad_h = s.pad_w = 0;
    shape_changed = true;
  }
  ImGui::SameLine();
  if (ImGui::Button("\"same\"")) {
    std::string why;
    if (conv_same_padding(&s, &why))
      shape_changed = true;
    else
      note_error(view, why);
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "\"same\": pad p = d(k−1)/2 on each side, so the output has ⌈H/s⌉ × ⌈W/s⌉ cells — the "
        "input's size at stride 1. The stride stays as it is.");
  ImGui::PushStyleColor(ImGuiCol_Text, pal.text_dim);
  ImGui::TextWrapped("\"same\" pads d(k−1)/2: the output is ⌈H/s⌉ × ⌈W/s⌉ and the stride stays.");
  ImGui::PopStyleColor();
  shape_changed |= shape_slider("dilation rows", &s.dil_h, 1, 4);
  shape_changed |= shape_slider("dilation cols", &s.dil_w, 1, 4);
  shape_changed |= ImGui::Checkbox("ReLU activation", &s.relu);

  return shape_changed;
}

void conv_params_panel(ConvLesson& lesson, ConvView& view) {
  ConvShape s = lesson.shape();
  conv_message(view);
  conv_intro(view);
  // Each section edits the same copy of the shape; it is applied once, below.
  bool shape_changed = conv_input_section(lesson, view, s);
  shape_changed |= conv_kernel_section(lesson, view, s);
  shape_changed |= conv_geometry_section(view, s);
  if (shape_changed) note_error(view, lesson.set_shape(s));

  winograd_section(lesson);
}

// ---------------------------------------------------------------------------
void conv_canvas(ConvLesson& lesson, ConvView& view) {
  const Palette& pal = palette();
  const ConvShape& s = lesson.shape();
  const ConvProblem& p = lesson.problem();
  const ConvTrace& tr = lesson.conv_trace();
  const ConvState& st = lesson.state();
  const int PH = s.H + 2 * s.pad_h, PW = s.W + 2 * s.pad_w;
  const int HO = s.out_h(), WO = s.out_w();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float title_h = ImGui::GetFontSize() + 8;
  const float gap = 28;

  // Current op (the one just applied) and the cell of interest.
  Op op;
  const bool has_op = lesson.current_op(&op);
  ConvCursor cur{};
  if (has_op) cur = tr.cursor(lesson.step() - 1);

  // Kernel cell size, then one cell size shared by input and output so that
  // stride jumps and the receptive field line up visually.
  // Stacked (a narrow screen), each column gets the whole width and the
  // canvas scrolls down instead of sideways.
  const bool stack = view.stacked;
  float kc = std::floor(
      stack ? (avail.x - 4) / (s.C * s.KW + (s.C - 1) * 0.5f)
            : std::min((avail.x * 0.2f) / (s.C * s.KW + (s.C - 1) * 0.5f),
                       (avail.y - title_h * s.F - kLegendHeight) / (s.F * (s.KH + 0.8f))));
  kc = std::clamp(kc, stack ? 4.f : 10.f, 40.f);
  const float kernel_w = kc * (s.C * s.KW + (s.C - 1) * 0.5f);
  const float k_title_w = ImGui::CalcTextSize("Kernel k[0] flipped").x + 8;
  const float kcol_w = std::max(kernel_w, k_title_w);
  const float io_w = avail.x - kcol_w - 2 * gap - 4;
  char in_title[96], out_title[96];
  std::snprintf(in_title, sizeof in_title, "Input in[0]  %d×%d, padded to %d×%d", s.H, s.W, PH, PW);
  std::snprintf(out_title, sizeof out_title, "Output out[0]  %d×%d%s", HO, WO,
                s.relu ? ", ReLU" : "");
  const float in_title_w = ImGui::CalcTextSize(in_title).x + 8;
  const float out_title_w = ImGui::CalcTextSize(out_title).x + 8;
  // The cell size with the input maps in `ic` columns and the outputs in `oc`.
  auto cell_for = [&](int ic, int oc) {
    const int in_rows = (s.C + ic - 1) / ic, out_rows = (s.F + oc - 1) / oc;
    const float rows_in = (float)(in_rows * PH) + (in_rows - 1) * 0.6f;
    const float rows_out = (float)(out_rows * HO) + (out_rows - 1) * 0.6f;
    const float w = io_w - (ic - 1 + oc - 1) * gap;
    return std::min(w / (ic * PW + oc * WO),
                    (avail.y - title_h * std::max(in_rows, out_rows) - kLegendHeight - 24) /
                        std::max(rows_in, rows_out));
  };
  float cell = stack ? (avail.x - 4) / std::max(PW, WO) : cell_for(1, 1);
  // Several channels in one column left a wide canvas mostly empty with
  // ~10 px cells (C = 3 at 8×8): the maps wrap into more columns when that
  // makes the cells clearly bigger and the titles still fit side by side.
  int in_cols = 1, out_cols = 1;
  if (!stack)
    for (int ic = 1; ic <= s.C; ++ic)
      for (int oc = 1; oc <= s.F; ++oc) {
        const float c = cell_for(ic, oc);
        const float width = ic * std::max(PW * c, in_title_w) + oc * std::max(WO * c, out_title_w) +
                            (ic - 1 + oc - 1) * gap;
        if (c > cell * 1.15f && std::min(c, 44.f) > cell && width <= io_w)
          cell = c, in_cols = ic, out_cols = oc;
      }
  view.in_cols = in_cols, view.out_cols = out_cols;
  // Whole pixels keep small grids crisp; big maps may use fractional cells.
  cell = std::clamp(cell >= 6 ? std::floor(cell) : cell, 0.5f, 44.f);

  const float vmax_in = max_abs(p.input.data), vmax_k = max_abs(p.kernel.data);
  const float vmax_out = max_abs(tr.result().data);

  // ---- input (padded), one map per channel ----
  const ImVec2 in_o(origin.x, origin.y);
  int hover_f = -1, hover_y = -1, hover_x = -1;  // hovered output cell
  std::vector<ImVec2> in_maps(s.C);
  const float in_w = std::max(PW * cell, in_title_w);
  float y = in_o.y, row_y = in_o.y;
  for (int c = 0; c < s.C; ++c) {
    // A new row of maps starts below the previous one; the rest share its top.
    if (c % in_cols == 0)
      row_y = y;
    else
      y = row_y;
    const float x = in_o.x + (c % in_cols) * (in_w + gap);
    char t[96];
    std::snprintf(t, sizeof t, "Input in[%d]  %d×%d, padded to %d×%d", c, s.H, s.W, PH, PW);
    label(dl, ImVec2(x, y), t, pal.text);
    y += title_h;
    in_maps[c] = ImVec2(x, y);
    if (PH * PW > kMaxRectCells) {
      // Padding band, then the data through the GPU colormap.
      dl->AddRectFilled(in_maps[c], ImVec2(x + PW * cell, y + PH * cell), pal.padding_fill);
      if (ImGui::IsRectVisible(in_maps[c], ImVec2(x + PW * cell, y + PH * cell))) {
        ImTextureID tex = field_upload(
            c, lesson.version(), p.input.data.data() + p.input.at3(c, 0, 0), nullptr, s.W, s.H);
        field_draw(dl, tex, ImVec2(x + s.pad_w * cell, y + s.pad_h * cell),
                   ImVec2(x + (s.pad_w + s.W) * cell, y + (s.pad_h + s.H) * cell), vmax_in,
                   pal.pending_fill);
      }
    } else {
      draw_cells(dl, in_maps[c], PH, PW, cell, vmax_in, [&](int r, int col) {
        int iy = r - s.pad_h, ix = col - s.pad_w;
        CellDraw d;
        if (iy < 0 || iy >= s.H || ix < 0 || ix >= s.W)
          d.kind = CellDraw::kPadding;
        else
          d.value = p.input[p.input.at3(c, iy, ix)];
        return d;
      });
    }
    y += PH * cell + 0.6f * cell + 6;
  }
  const float in_bottom = y;
  view.input_x = in_maps[0].x, view.input_y = in_maps[0].y, view.cell = cell;

  // ---- kernels: one row per filter, channels side by side ----
  // Columns are as wide as their maps or their titles, whichever is wider.
  const float k_x = stack ? in_o.x : in_o.x + in_cols * (in_w + gap);
  std::vector<ImVec2> k_maps((size_t)s.F * s.C);
  float ky = stack ? in_bottom + kLegendHeight + 8 : origin.y;
  for (int f = 0; f < s.F; ++f) {
    char t[64];
    std::snprintf(t, sizeof t, view.show_flipped ? "k[%d] flipped" : "Kernel k[%d]", f);
    label(dl, ImVec2(k_x, ky), t, view.show_flipped ? pal.pinned : pal.text);
    ky += title_h;
    for (int c = 0; c < s.C; ++c) {
      ImVec2 o(k_x + c * kc * (s.KW + 0.5f), ky);
      k_maps[(size_t)f * s.C + c] = o;
      draw_cells(dl, o, s.KH, s.KW, kc, vmax_k, [&](int i, int j) {
        if (view.show_flipped) i = s.KH - 1 - i, j = s.KW - 1 - j;
        CellDraw d;
        d.value = p.kernel[p.kernel.at4(f, c, i, j)];
        return d;
      });
    }
    ky += s.KH * kc + 0.8f * kc;
  }
  const float k_bottom = ky;

  // ---- output, one map per filter ----
  const float out_x0 = stack ? in_o.x : k_x + kcol_w + gap;
  const float out_w = std::max(WO * cell, out_title_w);
  std::vector<ImVec2> out_maps(s.F);
  float oy = stack ? k_bottom + kLegendHeight + 8 : origin.y, out_row_y = oy;
  for (int f = 0; f < s.F; ++f) {
    if (f % out_cols == 0)
      out_row_y = oy;
    else
      oy = out_row_y;
    const float out_x = out_x0 + (f % out_cols) * (out_w + gap);
    char t[96];
    std::snprintf(t, sizeof t, "Output out[%d]  %d×%d%s", f, HO, WO, s.relu ? ", ReLU" : "");
    label(dl, ImVec2(out_x, oy), t, pal.text);
    oy += title_h;
    out_maps[f] = ImVec2(out_x, oy);
    const int64_t base = (int64_t)f * HO * WO;
    if (HO * WO > kMaxRectCells) {
      // Maps scrolled out of view cost no texture upload (they upload once visible).
      if (ImGui::IsRectVisible(out_maps[f], ImVec2(out_x + WO * cell, oy + HO * cell))) {
        ImTextureID tex = field_upload(100 + f, lesson.version() * 1000003ull + lesson.step(),
                                       st.out.data.data() + base, &st.cell[base], WO, HO);
        field_draw(dl, tex, out_maps[f], ImVec2(out_x + WO * cell, oy + HO * cell), vmax_out,
                   pal.pending_fill);
      }
      dl->AddRect(out_maps[f], ImVec2(out_x + WO * cell, oy + HO * cell), pal.grid_line);
    } else {
      draw_cells(dl, out_maps[f], HO, WO, cell, vmax_out, [&](int r, int c) {
        CellDraw d;
        int64_t i = base + (int64_t)r * WO + c;
        if (st.cell[i] == ConvState::kPending)
          d.kind = CellDraw::kPending;
        else
          d.value = st.out[i];
        return d;
      });
    }
    int r, c;
    if (hovered_cell(out_maps[f], HO, WO, cell, &r, &c)) hover_f = f, hover_y = r, hover_x = c;
    oy += HO * cell + 0.6f * cell + 6;
  }
  const float out_bottom = oy;
  const float out_x = out_x0;

  // ---- highlights: receptive fields on the input, current elements ----
  auto draw_field = [&](int f, int yy, int xx, ImU32 col, float thick) {
    (void)f;
    for (int c = 0; c < s.C; ++c)
      for (int i = 0; i < s.KH; ++i)
        for (int j = 0; j < s.KW; ++j)
          outline(dl, in_maps[c], cell, yy * s.stride_h + i * s.dil_h,
                  xx * s.stride_w + j * s.dil_w, col, thick);
  };
  auto kernel_cell = [&](int i, int j) {
    return view.show_flipped ? std::make_pair(s.KH - 1 - i, s.KW - 1 - j) : std::make_pair(i, j);
  };
  if (view.pinned && (view.pin_f >= s.F || view.pin_y >= HO || view.pin_x >= WO))
    view.pinned = false;
  if (view.pinned) {
    draw_field(view.pin_f, view.pin_y, view.pin_x, pal.pinned, 2.f);
    outline(dl, out_maps[view.pin_f], cell, view.pin_y, view.pin_x, pal.pinned, 2.5f);
  }
  if (has_op) {
    draw_field(cur.f, cur.y, cur.x, pal.field, std::max(1.5f, std::min(3.f, cell / 10)));
    outline(dl, out_maps[cur.f], cell, cur.y, cur.x, pal.current,
            std::max(2.f, std::min(3.5f, cell / 8)));
    if (op.kind == "mac") {
      int ch, iy, ix, ki, kj;
      tr.term_source(cur, &ch, &iy, &ix, &ki, &kj);
      outline(dl, in_maps[ch], cell, iy + s.pad_h, ix + s.pad_w, pal.current,
              std::max(2.f, std::min(3.5f, cell / 8)));
      auto [ri, rj] = kernel_cell(ki, kj);
      outline(dl, k_maps[(size_t)cur.f * s.C + ch], kc, ri, rj, pal.current, 3.f);
    }
  }
  if (hover_f >= 0) {
    draw_field(hover_f, hover_y, hover_x, pal.hover, 1.5f);
    outline(dl, out_maps[hover_f], cell, hover_y, hover_x, pal.hover, 2.f);
    const int64_t i = ((int64_t)hover_f * HO + hover_y) * WO + hover_x;
    ImGui::BeginTooltip();
    ImGui::Text("out[%d,%d,%d] = %s", hover_f, hover_y, hover_x, fmt_num(tr.result()[i]).c_str());
    ImGui::TextDisabled("click to %s its computation", view.pinned && view.pin_f == hover_f &&
                                                               view.pin_y == hover_y &&
                                                               view.pin_x == hover_x
                                                           ? "unpin"
                                                           : "pin");
    ImGui::EndTooltip();
    if (ImGui::IsMouseClicked(0)) {
      bool same =
          view.pinned && view.pin_f == hover_f && view.pin_y == hover_y && view.pin_x == hover_x;
      view.pinned = !same;
      view.pin_f = hover_f, view.pin_y = hover_y, view.pin_x = hover_x;
    }
  }

  // ---- painting on the input ----
  // Queued (edit_queue.h): a rebuild replaces the trace `s` and `p` refer to.
  for (int c = 0; c < s.C; ++c) {
    int r, col;
    if (!hovered_cell(in_maps[c], PH, PW, cell, &r, &col)) continue;
    int iy = r - s.pad_h, ix = col - s.pad_w;
    bool inside = iy >= 0 && iy < s.H && ix >= 0 && ix < s.W;
    if (!inside) {
      ImGui::SetTooltip("padding: contributes 0");
      continue;
    }
    float v = p.input[p.input.at3(c, iy, ix)];
    ImGui::SetTooltip("in[%d,%d,%d] = %s", c, iy, ix, fmt_num(v).c_str());
    bool left = ImGui::IsMouseDown(0), right = ImGui::IsMouseDown(1);
    if (left || right) {
      float nv = left ? view.brush : 0.f;
      int id = (c * s.H + iy) * s.W + ix;
      if (nv != v && id != view.last_paint)
        edit_later(
            [&lesson, &view, c, iy, ix, nv] { note_error(view, lesson.set_input(c, iy, ix, nv)); });
      view.last_paint = id;
    }
  }
  if (!ImGui::IsMouseDown(0) && !ImGui::IsMouseDown(1)) view.last_paint = -1;

  // ---- typing kernel values ----
  for (int f = 0; f < s.F; ++f)
    for (int c = 0; c < s.C; ++c) {
      int i, j;
      if (!hovered_cell(k_maps[(size_t)f * s.C + c], s.KH, s.KW, kc, &i, &j)) continue;
      auto [ri, rj] = kernel_cell(i, j);
      ImGui::SetTooltip("k[%d,%d,%d,%d] = %s — click to edit", f, c, ri, rj,
                        fmt_num(p.kernel[p.kernel.at4(f, c, ri, rj)]).c_str());
      if (ImGui::IsMouseClicked(0)) {
        view.edit_f = f, view.edit_c = c, view.edit_i = ri, view.edit_j = rj;
        view.edit_value = p.kernel[p.kernel.at4(f, c, ri, rj)];
        ImGui::OpenPopup("edit-kernel");
      }
    }
  if (ImGui::BeginPopup("edit-kernel")) {
    ImGui::Text("k[%d,%d,%d,%d]", view.edit_f, view.edit_c, view.edit_i, view.edit_j);
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    ImGui::SetNextItemWidth(120);
    if (ImGui::InputFloat("##kv", &view.edit_value, 0.1f, 1.f, "%.3f",
                          ImGuiInputTextFlags_EnterReturnsTrue)) {
      edit_later([&lesson, &view] {
        note_error(view, lesson.set_kernel(view.edit_f, view.edit_c, view.edit_i, view.edit_j,
                                           view.edit_value));
      });
      ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
  }

  // ---- legends under each column ----
  // (Stacked: each under its own map, at most as wide as the canvas.)
  const float bottom = std::max({in_bottom, k_bottom, out_bottom});
  const float fit = stack ? avail.x - 4 : FLT_MAX;
  colour_legend(dl, ImVec2(in_o.x, stack ? in_bottom : bottom), std::min({PW * cell, 220.f, fit}),
                vmax_in, "input value");
  colour_legend(dl, ImVec2(k_x, stack ? k_bottom : bottom), std::min(std::max(kernel_w, 90.f), fit),
                vmax_k, "weight");
  colour_legend(dl, ImVec2(out_x, bottom), std::min({std::max(WO * cell, 120.f), 220.f, fit}),
                vmax_out, "output value");
  ImGui::Dummy(
      ImVec2(stack ? avail.x - 4 : out_x + (out_cols - 1) * (out_w + gap) + WO * cell - origin.x,
             bottom + kLegendHeight + 8 - origin.y));
}

// ---------------------------------------------------------------------------
void conv_formula_panel(ConvLesson& lesson, ConvView& view) {
  const Palette& pal = palette();
  const ConvShape& s = lesson.shape();
  const ConvTrace& tr = lesson.conv_trace();
  const ConvProblem& p = tr.problem();
  ImFont* mono = fonts().mono ? fonts().mono : ImGui::GetFont();
  const float wrap = ImGui::GetContentRegionAvail().x;

  Op op;
  const bool has_op = lesson.current_op(&op);
  if (has_op) {
    flow_text(mono, {{op.formula, pal.current_text}}, wrap);
    ImGui::PushStyleColor(ImGuiCol_Text, pal.text_dim);
    ImGui::TextWrapped("%s", op.words.c_str());
    ImGui::PopStyleColor();
  } else {
    ImGui::TextWrapped(
        "Step 0: nothing computed yet. Press → (or ▶) to apply the first multiply-add.");
  }

  // The whole sum for the pinned cell, or else the current one: terms already
  // applied in full colour, the rest dimmed.
  ConvCursor c{};
  int applied = 0;
  bool show = false;
  if (view.pinned) {
    c = {view.pin_f, view.pin_y, view.pin_x, 0};
    applied = (int)tr.ops_per_cell();
    int64_t first = tr.op_index(c);
    if (lesson.step() < first + tr.ops_per_cell())
      applied = (int)std::max<int64_t>(0, lesson.step() - first);
    show = true;
  } else if (has_op) {
    c = tr.cursor(lesson.step() - 1);
    applied = c.term + 1;
    show = true;
  }
  if (show) {
    const int64_t terms = s.terms_per_cell();
    std::vector<TextRun> runs;
    char head[64];
    std::snprintf(head, sizeof head, "out[%d,%d,%d] = ", c.f, c.y, c.x);
    runs.push_back({head, view.pinned ? pal.pinned : pal.text});
    auto term_text = [&](int t) {
      ConvCursor tc = c;
      tc.term = t;
      int ch, iy, ix, ki, kj;
      tr.term_source(tc, &ch, &iy, &ix, &ki, &kj);
      bool inside = iy >= 0 && iy < s.H && ix >= 0 && ix < s.W;
      double v = inside ? p.input[p.input.at3(ch, iy, ix)] : 0.0;
      return (t ? " + " : "") + (inside ? fmt_factor(v) : std::string("0")) + "·" +
             fmt_factor(p.kernel[p.kernel.at4(c.f, ch, ki, kj)]);
    };
    const int64_t shown_head = terms > 40 ? 24 : terms;
    for (int t = 0; t < terms; ++t) {
      if (t == shown_head && terms > 40) {
        runs.push_back({" + … (" + std::to_string(terms - 32) + " more terms) …", pal.text_dim});
        t = (int)terms - 8;
      }
      runs.push_back({term_text(t), t < applied ? pal.text : pal.text_dim});
    }
    runs.push_back({" + b " + fmt_factor(p.bias[c.f]), applied > terms ? pal.text : pal.text_dim});
    const float pre = tr.result()[tr.result().at3(c.f, c.y, c.x)];
    float z = 0;  // before ReLU
    {
      ConvCursor bc = c;
      bc.term = (int)terms;
      z = (float)tr.op(tr.op_index(bc)).target.value;
    }
    runs.push_back({" = " + fmt_num(z), applied > terms ? pal.text : pal.text_dim});
    if (s.relu)
      runs.push_back({";  ReLU → " + fmt_num(pre), applied > terms + 1 ? pal.text : pal.text_dim});
    ImGui::Spacing();
    flow_text(mono, runs, wrap);
  }
  ImGui::Spacing();
  ImGui::PushStyleColor(ImGuiCol_Text, pal.text_dim);
  flow_text(mono, {{conv_out_size_text(s, true), pal.text_dim}}, wrap);
  flow_text(mono, {{conv_out_size_text(s, false), pal.text_dim}}, wrap);
  ImGui::PopStyleColor();
}

}  // namespace sw

namespace sw {

namespace {
class ConvLessonView : public LessonView {
 public:
  explicit ConvLessonView(ConvLesson& lesson) : lesson_(lesson) {}
  Lesson& lesson() override { return lesson_; }
  void params_panel() override { conv_params_panel(lesson_, view_); }
  void canvas() override {
    view_.stacked = narrow();
    conv_canvas(lesson_, view_);
  }
  void formula_panel() override { conv_formula_panel(lesson_, view_); }
  // Where input map 0 is drawn (screen px, padding included), its cell size,
  // and how many times the layer was rebuilt: scripts paint on the input with
  // real mouse events and count recomputations (bench/browser.mjs).
  Json view_json() const override {
    return {{"input_map", {view_.input_x, view_.input_y}},
            {"cell", view_.cell},
            {"values_shown", view_.cell >= kValuesMinCell},
            {"map_columns", {view_.in_cols, view_.out_cols}},
            {"version", lesson_.version()}};
  }

 private:
  ConvLesson& lesson_;
  ConvView view_;
};
}  // namespace

std::unique_ptr<LessonView> make_conv_view(Lesson& lesson) {
  return std::make_unique<ConvLessonView>(dynamic_cast<ConvLesson&>(lesson));
}

}  // namespace sw
