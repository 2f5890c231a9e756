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
  dl->AddText(font, size, ImVec2((a.x + b.x - s.x) * 0.5f, (a.y + b.y - s.y) * 0.5f), col, text);
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

}  // namespace sw
