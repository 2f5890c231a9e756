#include "widgets.h"

#include <imgui_internal.h>

#include <algorithm>
#include <cmath>

#include "colormap.h"
#include "fonts.h"
#include "format.h"
#include "layout_report.h"
#include "theme.h"

namespace sw {

void flow_text(ImFont* font, const std::vector<TextRun>& runs, float wrap_width) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float size = font->FontSize * ImGui::GetIO().FontGlobalScale;
  const ImVec2 start = ImGui::GetCursorScreenPos();
  float x = 0, y = 0;
  const float line = size * 1.35f;
  auto width = [&](const char* a, const char* b) {
    return font->CalcTextSizeA(size, FLT_MAX, 0, a, b).x;
  };
  // One piece of a run: moved to the next line when it does not fit.
  auto place = [&](const char* a, const char* b, ImU32 col) {
    if (x > 0 && x + width(a, b) > wrap_width) x = 0, y += line;
    dl->AddText(font, size, ImVec2(start.x + x, start.y + y), col, a, b);
    x += width(a, b);
  };
  for (const TextRun& r : runs) {
    const char* a = r.text.c_str();
    const char* end = a + r.text.size();
    if (width(a, end) <= wrap_width) {  // whole, on this line or the next
      place(a, end, r.color);
      continue;
    }
    // Wider than a line: piece by piece, each piece starting at a space.
    while (a < end) {
      const char* b = a + 1;
      while (b < end && *b != ' ') ++b;
      while (b < end && *b == ' ' && b + 1 < end && b[1] == ' ') ++b;
      // Keep an operator with what follows it: " + 0.5·x" rather than " +" | " 0.5·x".
      if (b < end) {
        const char* op_end = b + 1;
        while (op_end < end && *op_end != ' ') ++op_end;
        if (op_end - b <= 4 && op_end < end) b = op_end;
      }
      place(a, b, r.color);
      a = b;
    }
  }
  ImGui::Dummy(ImVec2(wrap_width, y + line));
}

void colour_legend(ImDrawList* dl, ImVec2 pos, float width, float vmax, const char* caption) {
  const Palette& pal = palette();
  const int n = 48;
  const float h = 9;
  for (int i = 0; i < n; ++i) {
    float t0 = -1 + 2.f * i / n, t1 = -1 + 2.f * (i + 1) / n;
    ImU32 c0 = diverging_u32(t0), c1 = diverging_u32(t1);
    dl->AddRectFilledMultiColor(ImVec2(pos.x + width * i / n, pos.y),
                                ImVec2(pos.x + width * (i + 1) / n, pos.y + h), c0, c1, c1, c0);
  }
  dl->AddRect(pos, ImVec2(pos.x + width, pos.y + h), pal.grid_line);
  ImFont* f = fonts().small ? fonts().small : ImGui::GetFont();
  const float fs = f->FontSize * ImGui::GetIO().FontGlobalScale;
  std::string lo = fmt_num(-vmax), hi = fmt_num(vmax);
  float ty = pos.y + h + 2;
  dl->AddText(f, fs, ImVec2(pos.x, ty), pal.text_dim, lo.c_str());
  ImVec2 zs = f->CalcTextSizeA(fs, FLT_MAX, 0, "0");
  dl->AddText(f, fs, ImVec2(pos.x + width / 2 - zs.x / 2, ty), pal.text_dim, "0");
  ImVec2 hs = f->CalcTextSizeA(fs, FLT_MAX, 0, hi.c_str());
  dl->AddText(f, fs, ImVec2(pos.x + width - hs.x, ty), pal.text_dim, hi.c_str());
  if (caption && *caption) {
    ImVec2 cs = f->CalcTextSizeA(fs, FLT_MAX, 0, caption);
    dl->AddText(f, fs, ImVec2(pos.x + width / 2 - cs.x / 2, ty + fs + 1), pal.text_dim, caption);
  }
}

void centred_text(ImDrawList* dl, ImFont* font, float size, ImVec2 a, ImVec2 b, ImU32 col,
                  const char* text) {
  ImVec2 s = font->CalcTextSizeA(size, FLT_MAX, 0, text);
  layout_note_text_overflow(text, s.x, b.x - a.x);
  dl->AddText(font, size, ImVec2((a.x + b.x - s.x) * 0.5f, (a.y + b.y - s.y) * 0.5f), col, text);
}

bool fit_fixed(double v, int max_decimals, ImFont* font, float size, float width, char* buf,
               size_t n) {
  for (int dec = std::max(max_decimals, 0);; --dec) {
    std::snprintf(buf, n, "%s", fmt_fixed(v, dec).c_str());
    const bool fits = font->CalcTextSizeA(size, FLT_MAX, 0, buf).x <= width;
    if (fits || dec == 0) return fits;
  }
}

void help_marker(const char* text) {
  // Beside the item when it fits, else under it (a long label in a narrow panel).
  ImGui::SameLine();
  if (ImGui::GetContentRegionAvail().x < ImGui::CalcTextSize("(?)").x) ImGui::NewLine();
  ImGui::TextDisabled("(?)");
  if (ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 28);
    ImGui::TextUnformatted(text);
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
}

}  // namespace sw

namespace sw {
void section(const char* title) {
  ImGui::Spacing();
  ImFont* f = fonts().ui ? fonts().ui : ImGui::GetFont();
  ImGui::PushFont(f);
  ImGui::TextUnformatted(title);
  ImGui::PopFont();
  ImGui::Separator();
}
void dim_wrapped(const char* text) {
  ImGui::PushStyleColor(ImGuiCol_Text, palette().text_dim);
  ImGui::TextWrapped("%s", text);
  ImGui::PopStyleColor();
}

ImU32 error_color() {
  return palette().dark ? IM_COL32(255, 130, 120, 255) : IM_COL32(190, 30, 30, 255);
}

void error_wrapped(const std::string& text) {
  if (text.empty()) return;
  ImGui::PushStyleColor(ImGuiCol_Text, error_color());
  ImGui::TextWrapped("%s", text.c_str());
  ImGui::PopStyleColor();
}

namespace {

// This frame's slider rectangles; cleared by the first slider of a new frame.
std::vector<SliderRects> g_sliders;
int g_sliders_frame = -1;

}  // namespace

const std::vector<SliderRects>& sliders_drawn() {
  if (g_sliders_frame != ImGui::GetFrameCount()) g_sliders.clear();
  return g_sliders;
}

// ImGui::SliderScalar (1.86) with one change: the value text is placed
// beside the grab instead of centred on the frame.
bool slider_scalar(const char* label, ImGuiDataType type, void* value, const void* lo,
                   const void* hi, const char* format, ImGuiSliderFlags flags) {
  ImGuiWindow* window = ImGui::GetCurrentWindow();
  if (window->SkipItems) return false;
  ImGuiContext& g = *GImGui;
  const ImGuiStyle& style = g.Style;
  const ImGuiID id = window->GetID(label);
  const float w = ImGui::CalcItemWidth();
  const ImVec2 label_size = ImGui::CalcTextSize(label, nullptr, true);
  const ImVec2 pos = window->DC.CursorPos;
  const ImRect frame(pos, ImVec2(pos.x + w, pos.y + label_size.y + style.FramePadding.y * 2));
  const ImRect total(
      frame.Min,
      ImVec2(frame.Max.x + (label_size.x > 0 ? style.ItemInnerSpacing.x + label_size.x : 0),
             frame.Max.y));
  const bool input_allowed = (flags & ImGuiSliderFlags_NoInput) == 0;
  ImGui::ItemSize(total, style.FramePadding.y);
  if (!ImGui::ItemAdd(total, id, &frame, input_allowed ? ImGuiItemFlags_Inputable : 0))
    return false;
  if (!format) format = ImGui::DataTypeGetInfo(type)->PrintFmt;

  // Ctrl+click or Tab turns the slider into a text box, as in ImGui.
  const bool hovered = ImGui::ItemHoverable(frame, id);
  bool typing = input_allowed && ImGui::TempInputIsActive(id);
  if (!typing) {
    const bool tabbed =
        input_allowed && (g.LastItemData.StatusFlags & ImGuiItemStatusFlags_FocusedByTabbing);
    const bool clicked = hovered && g.IO.MouseClicked[0];
    if (tabbed || clicked || g.NavActivateId == id || g.NavActivateInputId == id) {
      ImGui::SetActiveID(id, window);
      ImGui::SetFocusID(id, window);
      ImGui::FocusWindow(window);
      g.ActiveIdUsingNavDirMask |= (1 << ImGuiDir_Left) | (1 << ImGuiDir_Right);
      if (input_allowed && (tabbed || (clicked && g.IO.KeyCtrl) || g.NavActivateInputId == id))
        typing = true;
    }
  }
  if (typing) {
    const bool clamp = (flags & ImGuiSliderFlags_AlwaysClamp) != 0;
    return ImGui::TempInputScalar(frame, id, label, type, value, format, clamp ? lo : nullptr,
                                  clamp ? hi : nullptr);
  }

  const ImU32 frame_col = ImGui::GetColorU32(g.ActiveId == id ? ImGuiCol_FrameBgActive
                                             : hovered        ? ImGuiCol_FrameBgHovered
                                                              : ImGuiCol_FrameBg);
  ImGui::RenderNavHighlight(frame, id);
  ImGui::RenderFrame(frame.Min, frame.Max, frame_col, true, style.FrameRounding);
  ImRect grab;
  const bool changed = ImGui::SliderBehavior(frame, id, type, value, lo, hi, format, flags, &grab);
  if (changed) ImGui::MarkItemEdited(id);

  // The value in the larger part of the frame beside the grab, aligned away
  // from it. Where even that part is too narrow (a phone's speed, a long
  // scrubber label mid-way), the value is centred and the grab shrinks to a
  // strip under it: still never over the digits.
  char text[64];
  const char* end =
      text + ImGui::DataTypeFormatString(text, IM_ARRAYSIZE(text), type, value, format);
  const float pad = style.FramePadding.x * 0.5f;
  const bool grab_left = grab.GetCenter().x < frame.GetCenter().x;
  ImRect room =
      grab_left
          ? ImRect(ImVec2(grab.Max.x + pad, frame.Min.y), ImVec2(frame.Max.x - pad, frame.Max.y))
          : ImRect(ImVec2(frame.Min.x + pad, frame.Min.y), ImVec2(grab.Min.x - pad, frame.Max.y));
  const ImVec2 text_size = ImGui::CalcTextSize(text, end);
  float tx = grab_left ? room.Max.x - text_size.x : room.Min.x;
  float ty = frame.Min.y + (frame.GetHeight() - text_size.y) * 0.5f;
  if (text_size.x > room.GetWidth()) {
    room = ImRect(ImVec2(frame.Min.x + pad, frame.Min.y), ImVec2(frame.Max.x - pad, frame.Max.y));
    const float strip = std::max(2.f, std::floor((frame.GetHeight() - text_size.y) * 0.5f) - 2);
    ty = std::max(frame.Min.y, frame.Max.y - 2 - strip - 1 - text_size.y);
    grab.Min.y = ty + text_size.y + 1;
    tx = std::max(room.Min.x, frame.GetCenter().x - text_size.x * 0.5f);
  }
  if (grab.Max.x > grab.Min.x)
    window->DrawList->AddRectFilled(
        grab.Min, grab.Max,
        ImGui::GetColorU32(g.ActiveId == id ? ImGuiCol_SliderGrabActive : ImGuiCol_SliderGrab),
        std::min(style.GrabRounding, grab.GetHeight() * 0.5f));
  ImGui::RenderTextClipped(ImVec2(tx, ty), room.Max, text, end, &text_size, ImVec2(0, 0), &room);
  if (label_size.x > 0)
    ImGui::RenderText(
        ImVec2(frame.Max.x + style.ItemInnerSpacing.x, frame.Min.y + style.FramePadding.y), label);

  sliders_drawn();  // clears last frame's
  g_sliders_frame = ImGui::GetFrameCount();
  g_sliders.push_back({label, frame.Min, frame.Max, grab.Min, grab.Max, ImVec2(tx, ty),
                       ImVec2(std::min(tx + text_size.x, room.Max.x), ty + text_size.y),
                       tx + text_size.x > room.Max.x + 0.5f});
  return changed;
}

float slider_text_room(float width) {
  // The grab is GrabMinSize wide at least (wider only for short ranges, which
  // have short values); the worse side is half of what it leaves.
  const ImGuiStyle& style = ImGui::GetStyle();
  return (width - style.GrabMinSize - 2 * style.FramePadding.x) * 0.5f - style.FramePadding.x;
}

bool slider_int(const char* label, int* value, int lo, int hi, const char* format,
                ImGuiSliderFlags flags) {
  return slider_scalar(label, ImGuiDataType_S32, value, &lo, &hi, format, flags);
}

bool slider_float(const char* label, float* value, float lo, float hi, const char* format,
                  ImGuiSliderFlags flags) {
  return slider_scalar(label, ImGuiDataType_Float, value, &lo, &hi, format, flags);
}

}  // namespace sw
