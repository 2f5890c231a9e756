#include "layout_report.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <cstdio>
#include <cstdlib>

namespace sw {

namespace {

// Anti-aliased shapes spread half a pixel past their edges, lines their
// thickness more; anything further out is drawn beyond the clip rectangle.
constexpr float kFringe = 1.5f;
// Content sizes are floored by ImGui; less than this is rounding, not overflow.
constexpr float kSlack = 1.f;
// A line this thin (with its anti-aliased fringe) is a rule, not text or a widget.
constexpr float kRule = 3.5f;

void note(LayoutReport& r, const ImGuiWindow* w, const char* what, float a, float b) {
  if (!r.why.empty()) return;
  char buf[64];
  std::snprintf(buf, sizeof buf, " (%.0f vs %.0f px)", a, b);
  r.why = std::string(w->Name) + ": " + what + buf;
}

// The window's content extent against its visible inner rectangle.
void check_extent(LayoutReport& r, const ImGuiWindow* w) {
  const ImVec2 content(w->DC.CursorMaxPos.x - w->DC.CursorStartPos.x,
                       w->DC.CursorMaxPos.y - w->DC.CursorStartPos.y);
  const ImVec2 visible(w->InnerRect.GetWidth() - 2 * w->WindowPadding.x,
                       w->InnerRect.GetHeight() - 2 * w->WindowPadding.y);
  if (content.x > visible.x + kSlack) {
    r.overflow_x = true;
    note(r, w, "content wider than the panel", content.x, visible.x);
    if (!w->ScrollbarX) r.clipped = true;
  }
  if (content.y > visible.y + kSlack && !w->ScrollbarY) {
    r.clipped = true;
    note(r, w, "content taller than the panel, which cannot scroll", content.y, visible.y);
  }
}

// Primitives of one window's draw list straddling the window's edge (its
// inner clip rectangle). A plot that clips its data to its own frame inside
// the panel cuts nothing at a panel edge, so it is not counted.
void check_vertices(LayoutReport& r, const ImDrawList* dl, const ImGuiWindow* w) {
  const ImRect edge = w->InnerClipRect;
  for (const ImDrawCmd& cmd : dl->CmdBuffer) {
    if (cmd.UserCallback) continue;
    const ImVec4 clip = cmd.ClipRect;
    for (unsigned i = 0; i + 2 < cmd.ElemCount; i += 3) {
      ImRect t(ImVec2(FLT_MAX, FLT_MAX), ImVec2(-FLT_MAX, -FLT_MAX));  // the triangle's box
      for (unsigned k = 0; k < 3; ++k)
        t.Add(dl->VtxBuffer[dl->IdxBuffer[cmd.IdxOffset + i + k] + cmd.VtxOffset].pos);
      // Past the command's clip rectangle and the panel's edge; thin rules
      // (separators run the whole window width by design) are not content.
      const bool cut_x = (t.Min.x < clip.x - kFringe && t.Min.x < edge.Min.x - kFringe) ||
                         (t.Max.x > clip.z + kFringe && t.Max.x > edge.Max.x + kFringe);
      const bool cut_y = (t.Min.y < clip.y - kFringe && t.Min.y < edge.Min.y - kFringe) ||
                         (t.Max.y > clip.w + kFringe && t.Max.y > edge.Max.y + kFringe);
      const bool x = cut_x && !w->ScrollbarX && t.GetHeight() > kRule;
      const bool y = cut_y && !w->ScrollbarY && t.GetWidth() > kRule;
      if (x || y) {
        if (getenv("SW_LAYOUT_DEBUG"))
          fprintf(stderr, "cut: %s box %.1f,%.1f-%.1f,%.1f clip %.1f,%.1f-%.1f,%.1f tex %p\n",
                  w->Name, t.Min.x, t.Min.y, t.Max.x, t.Max.y, clip.x, clip.y, clip.z, clip.w,
                  (void*)cmd.TextureId);
        r.clipped = true;
        note(r, w, x ? "drawn past its left or right edge" : "drawn past its top or bottom edge",
             x ? (t.Min.x < edge.Min.x ? t.Min.x : t.Max.x)
               : (t.Min.y < edge.Min.y ? t.Min.y : t.Max.y),
             x ? (t.Min.x < edge.Min.x ? edge.Min.x : edge.Max.x)
               : (t.Min.y < edge.Min.y ? edge.Min.y : edge.Max.y));
        return;
      }
    }
  }
}

}  // namespace

LayoutReport layout_report() {
  LayoutReport r;
  ImGuiContext* g = GImGui;
  if (!g) return r;
  r.width = g->IO.DisplaySize.x, r.height = g->IO.DisplaySize.y;
  // Tooltips size themselves to their text and follow the pointer: not panels.
  auto panel = [](const ImGuiWindow* w) {
    return w && w->Active && !w->Hidden && !(w->Flags & ImGuiWindowFlags_Tooltip);
  };
  for (const ImGuiWindow* w : g->Windows)
    if (panel(w)) check_extent(r, w);
  const ImDrawData* dd = ImGui::GetDrawData();
  if (!dd || !dd->Valid) return r;
  for (int i = 0; i < dd->CmdListsCount; ++i) {
    const ImDrawList* dl = dd->CmdLists[i];
    const ImGuiWindow* w = dl->_OwnerName ? ImGui::FindWindowByName(dl->_OwnerName) : nullptr;
    if (panel(w)) check_vertices(r, dl, w);
  }
  return r;
}

}  // namespace sw
