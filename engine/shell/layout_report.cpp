#include "layout_report.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <cmath>
#include <cstdio>

namespace sw {

namespace {

// Glyph boxes carry a pixel of padding; anything further out is drawn
// beyond the clip rectangle.
constexpr float kFringe = 1.5f;
// Content sizes are floored by ImGui; less than this is rounding, not overflow.
constexpr float kSlack = 1.f;
// A clip rectangle this close to the panel's edge clips at that edge.
constexpr float kEdge = 0.5f;

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

// Whether what an edge of `w` at `at` cuts can be scrolled into view: the
// edge belongs to the outermost window around `w` that has the same edge (a
// child clipped by its scrolling parent's edge is cut at that edge), and
// that window must scroll that way. `side`: 0 left, 1 top, 2 right, 3 bottom.
bool reachable(const ImGuiWindow* w, int side, float at) {
  auto edge = [side](const ImGuiWindow* v) {
    const ImRect& c = v->InnerClipRect;
    return side == 0 ? c.Min.x : side == 1 ? c.Min.y : side == 2 ? c.Max.x : c.Max.y;
  };
  while ((w->Flags & ImGuiWindowFlags_ChildWindow) && w->ParentWindow &&
         std::fabs(edge(w->ParentWindow) - at) <= kEdge)
    w = w->ParentWindow;
  return side % 2 == 0 ? w->ScrollbarX : w->ScrollbarY;
}

// Glyphs of one window's draw list cut at the window's edge (its inner clip
// rectangle). Only text is looked at here: shapes that rely on clipping (a
// half-plane shaded across a plot, a separator running the window's whole
// width) are drawn that way on purpose, and a widget's frame is an item,
// which check_extent() measures. A glyph is a triangle textured from the
// font atlas away from its white pixel (which every plain shape samples).
void check_text(LayoutReport& r, const ImDrawList* dl, const ImGuiWindow* w) {
  const ImGuiIO& io = ImGui::GetIO();
  const ImTextureID font = io.Fonts->TexID;
  const ImVec2 white = io.Fonts->TexUvWhitePixel;
  // Anti-aliased thin lines sample the atlas's baked line strip, not glyphs.
  ImRect lines(ImVec2(FLT_MAX, FLT_MAX), ImVec2(-FLT_MAX, -FLT_MAX));
  for (const ImVec4& uv : io.Fonts->TexUvLines) {
    lines.Add(ImVec2(uv.x, uv.y));
    lines.Add(ImVec2(uv.z, uv.w));
  }
  const ImRect edge = w->InnerClipRect;
  for (const ImDrawCmd& cmd : dl->CmdBuffer) {
    if (cmd.UserCallback || cmd.TextureId != font) continue;
    const ImVec4 clip = cmd.ClipRect;
    // A cut is reported only where the clip rectangle is the panel's edge:
    // a command clipped inside the panel (a plot's frame, the network's
    // plane: most of a busy frame's triangles) cannot report one.
    if (clip.x > edge.Min.x + kEdge && clip.z < edge.Max.x - kEdge && clip.y > edge.Min.y + kEdge &&
        clip.w < edge.Max.y - kEdge)
      continue;
    for (unsigned i = 0; i + 2 < cmd.ElemCount; i += 3) {
      ImRect t(ImVec2(FLT_MAX, FLT_MAX), ImVec2(-FLT_MAX, -FLT_MAX));  // the triangle's box
      bool glyph = false;
      for (unsigned k = 0; k < 3; ++k) {
        const ImDrawVert& v = dl->VtxBuffer[dl->IdxBuffer[cmd.IdxOffset + i + k] + cmd.VtxOffset];
        t.Add(v.pos);
        glyph |= (std::fabs(v.uv.x - white.x) > 1e-6f || std::fabs(v.uv.y - white.y) > 1e-6f) &&
                 !lines.Contains(v.uv);
      }
      if (!glyph) continue;
      // Cut by the command's clip rectangle where that is the panel's edge (a
      // label clipped to a plot's frame inside the panel is not at an edge).
      const bool left = t.Min.x < clip.x - kFringe && clip.x <= edge.Min.x + kEdge;
      const bool right = t.Max.x > clip.z + kFringe && clip.z >= edge.Max.x - kEdge;
      const bool top = t.Min.y < clip.y - kFringe && clip.y <= edge.Min.y + kEdge;
      const bool bottom = t.Max.y > clip.w + kFringe && clip.w >= edge.Max.y - kEdge;
      const bool x = (left && !reachable(w, 0, clip.x)) || (right && !reachable(w, 2, clip.z));
      const bool y = (top && !reachable(w, 1, clip.y)) || (bottom && !reachable(w, 3, clip.w));
      if (x || y) {
        r.clipped = true;
        note(r, w, x ? "text cut at its left or right edge" : "text cut at its top or bottom edge",
             x ? (t.Min.x < edge.Min.x ? t.Min.x : t.Max.x)
               : (t.Min.y < edge.Min.y ? t.Min.y : t.Max.y),
             x ? (t.Min.x < edge.Min.x ? edge.Min.x : edge.Max.x)
               : (t.Min.y < edge.Min.y ? edge.Min.y : edge.Max.y));
        return;
      }
    }
  }
}

// The first text this frame found wider than its box (frame number, message).
struct TextOverflow {
  int frame = -1;
  std::string why;
};
TextOverflow& text_overflow() {
  static TextOverflow t;
  return t;
}

}  // namespace

void layout_note_text_overflow(const char* text, float width, float box) {
  ImGuiContext* g = GImGui;
  if (!g || width <= box + kSlack) return;
  TextOverflow& t = text_overflow();
  if (t.frame == g->FrameCount) return;  // the first one of the frame is enough
  char buf[64];
  std::snprintf(buf, sizeof buf, " (%.0f vs %.0f px)", width, box);
  t.frame = g->FrameCount;
  t.why = std::string("text wider than its box: \"") + text + "\"" + buf;
}

LayoutReport layout_report() {
  LayoutReport r;
  ImGuiContext* g = GImGui;
  if (!g) return r;
  r.width = g->IO.DisplaySize.x, r.height = g->IO.DisplaySize.y;
  // Tooltips size themselves to their text and follow the pointer: not panels.
  auto panel = [](const ImGuiWindow* w) {
    return w && w->Active && !w->Hidden && !(w->Flags & ImGuiWindowFlags_Tooltip);
  };
  const TextOverflow& t = text_overflow();
  if (t.frame == g->FrameCount) r.clipped = true, r.why = t.why;
  for (const ImGuiWindow* w : g->Windows)
    if (panel(w)) check_extent(r, w);
  const ImDrawData* dd = ImGui::GetDrawData();
  if (!dd || !dd->Valid) return r;
  for (int i = 0; i < dd->CmdListsCount; ++i) {
    const ImDrawList* dl = dd->CmdLists[i];
    const ImGuiWindow* w = dl->_OwnerName ? ImGui::FindWindowByName(dl->_OwnerName) : nullptr;
    if (panel(w)) check_text(r, dl, w);
  }
  return r;
}

}  // namespace sw
