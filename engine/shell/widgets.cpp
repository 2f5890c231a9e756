#include "widgets.h"

#include "colormap.h"
#include "fonts.h"
#include "format.h"
#include "theme.h"

namespace sw {

void flow_text(ImFont* font, const std::vector<TextRun>& runs, float wrap_width) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float size = font->FontSize * ImGui::GetIO().FontGlobalScale;
  const ImVec2 start = ImGui::GetCursorScreenPos();
  float x = 0, y = 0;
  const float line = size * 1.35f;
  for (const TextRun& r : runs) {
    ImVec2 sz = font->CalcTextSizeA(size, FLT_MAX, 0, r.text.c_str());
    if (x > 0 && x + sz.x > wrap_width) x = 0, y += line;
    dl->AddText(font, size, ImVec2(start.x + x, start.y + y), r.color, r.text.c_str());
    x += sz.x;
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
  dl->AddText(font, size, ImVec2((a.x + b.x - s.x) * 0.5f, (a.y + b.y - s.y) * 0.5f), col, text);
}

void help_marker(const char* text) {
  ImGui::SameLine();
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

}  // namespace sw
