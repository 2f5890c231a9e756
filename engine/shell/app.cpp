#include "app.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cmath>

#include "edit_queue.h"
#include "fonts.h"
#include "gpu_fields.h"
#include "theme.h"
#include "transport.h"
#include "view_registry.h"
#include "widgets.h"

namespace sw {

App::App() {
  for (const LessonInfo& info : lesson_registry()) {
    LessonSlot slot{&info, info.make(), nullptr};
    slot.view = make_view(*slot.lesson);
    if (slot.view) lessons.push_back(std::move(slot));
  }
}

int App::find(const std::string& name) const {
  for (size_t i = 0; i < lessons.size(); ++i)
    if (name == lessons[i].info->name) return (int)i;
  return -1;
}

static ImU32 notice_colour() {
  return palette().dark ? IM_COL32(255, 170, 90, 255) : IM_COL32(176, 80, 0, 255);
}

// The last item's rectangle (screen px).
static App::Rect item_rect() {
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  return {a.x, a.y, b.x, b.y};
}

// Frame padding that makes a widget at least kTouchTarget tall.
static ImVec2 touch_padding() {
  const ImGuiStyle& style = ImGui::GetStyle();
  return ImVec2(style.FramePadding.x,
                std::max(style.FramePadding.y, (kTouchTarget - ImGui::GetFontSize()) * 0.5f));
}

// The lesson tabs: buttons with room between them; the current one filled
// with the accent, the others framed, so every one reads as a tab to press.
static void lesson_tabs(App& app) {
  const ImGuiStyle& style = ImGui::GetStyle();
  ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, 1.f);
  for (size_t i = 0; i < app.lessons.size(); ++i) {
    if (i) ImGui::SameLine(0, 6);
    const bool current = app.active == (int)i;
    if (current) {
      const ImVec4 accent = style.Colors[ImGuiCol_ButtonActive];
      ImGui::PushStyleColor(ImGuiCol_Button, accent);
      ImGui::PushStyleColor(ImGuiCol_ButtonHovered, accent);
      ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
      ImGui::PushStyleColor(ImGuiCol_Border, accent);
    }
    if (ImGui::Button(app.lessons[i].info->title)) app.active = (int)i;
    app.tab_rects.push_back(item_rect());
    if (current) ImGui::PopStyleColor(4);
  }
  ImGui::PopStyleVar();
}

// The lesson's description and what a link could not apply, wrapped at
// `right` (window x) so nothing runs under the theme button or off the window.
static void header_messages(const App& app, float right, bool description) {
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(right);
  if (description) {
    ImGui::PushStyleColor(ImGuiCol_Text, palette().text_dim);
    ImGui::TextWrapped("%s", app.info().description);
    ImGui::PopStyleColor();
  }
  if (!app.notice.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, notice_colour());
    ImGui::TextWrapped("Link: %s", app.notice.c_str());
    ImGui::PopStyleColor();
  }
  ImGui::PopTextWrapPos();
  ImGui::EndGroup();
}

static void theme_button(App& app, const char* dark_label, const char* light_label, ImVec2 size) {
  if (ImGui::Button(app.dark ? light_label : dark_label, size)) {
    app.dark = !app.dark;
    apply_theme(app.dark);
  }
}

// Wide: title and tabs, the theme button at the right, the messages beside
// the tabs when they leave room for a few words (kMessagesMin), else on the
// rows under them; the messages always wrap before the theme button.
static void header(App& app) {
  constexpr float kMessagesMin = 240;
  const float button_w = 108, button_x = ImGui::GetWindowWidth() - 120, right = button_x - 12;
  ImGui::PushFont(fonts().title ? fonts().title : ImGui::GetFont());
  ImGui::TextUnformatted("Stepwise");
  ImGui::PopFont();
  if (app.lessons.size() > 1) {
    ImGui::SameLine(0, 16);
    lesson_tabs(app);
  }
  const float tabs_end = ImGui::GetItemRectMax().x - ImGui::GetWindowPos().x;
  auto theme = [&] {
    ImGui::SameLine(button_x);  // at the top of the row (or of the wrapped messages)
    theme_button(app, "Dark theme", "Light theme", ImVec2(button_w, 0));
    app.theme_rect = item_rect();
  };
  if (tabs_end + 16 + kMessagesMin <= right) {
    ImGui::SameLine(0, 16);
    header_messages(app, right, true);
    app.messages_rect = item_rect();
    theme();
    return;
  }
  const bool button_beside_tabs = tabs_end + 12 <= button_x;
  if (button_beside_tabs) theme();
  header_messages(app, right, true);
  app.messages_rect = item_rect();
  if (!button_beside_tabs) theme();
}

// A list of the lessons in place of the tabs (one touch target for any number of lessons).
static void lesson_menu(App& app, float width) {
  ImGui::SetNextItemWidth(width);
  if (ImGui::BeginCombo("##lesson", app.info().title)) {
    for (size_t i = 0; i < app.lessons.size(); ++i)
      if (ImGui::Selectable(app.lessons[i].info->title, app.active == (int)i, 0,
                            ImVec2(0, kTouchTarget)))
        app.active = (int)i;
    ImGui::EndCombo();
  }
}

// The drawer's button: its label says what it does.
static void drawer_button(App& app, float width) {
  const ImVec2 at = ImGui::GetCursorScreenPos();
  if (ImGui::Button(app.drawer_open ? "Close parameters" : "Parameters", ImVec2(width, 0)))
    app.drawer_open = !app.drawer_open;
  const ImVec2 size = ImGui::GetItemRectSize();
  app.drawer_button[0] = at.x, app.drawer_button[1] = at.y;
  app.drawer_button[2] = size.x, app.drawer_button[3] = size.y;
}

// Narrow: one row of touch targets (lesson list, parameters, theme), then
// any message wrapped under it; the description is left to the landing page.
static void narrow_header(App& app) {
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  const float avail = ImGui::GetContentRegionAvail().x;
  const float theme_w = ImGui::CalcTextSize("Light").x + 2 * ImGui::GetStyle().FramePadding.x;
  const float drawer_w = app.show_params ? ImGui::CalcTextSize("Close parameters").x +
                                               2 * ImGui::GetStyle().FramePadding.x + gap
                                         : 0;
  const float menu_w = avail - theme_w - drawer_w - gap;
  if (app.lessons.size() > 1) {
    lesson_menu(app, menu_w);
    ImGui::SameLine(0, gap);
  } else {
    ImGui::Dummy(ImVec2(menu_w, 1));
    ImGui::SameLine(0, gap);
  }
  if (app.show_params) {
    drawer_button(app, drawer_w - gap);
    ImGui::SameLine(0, gap);
  }
  theme_button(app, "Dark", "Light", ImVec2(theme_w, 0));
  if (!app.notice.empty()) header_messages(app, 0, false);
}

// A tour stop's caption (el.tour(), the page's scroll markers): the author's
// words for this step, above the lesson's own formula.
static void tour_caption(const App& app) {
  if (app.caption.empty()) return;
  ImGui::PushStyleColor(ImGuiCol_Text, palette().current_text);
  ImGui::TextWrapped("%s", app.caption.c_str());
  ImGui::PopStyleColor();
  ImGui::Separator();
}

// The formula panel under the picture (the rest of the column), when shown:
// the tour's caption, then the lesson's formula. Wide and narrow layouts alike.
static void formula_child(const App& app, LessonView& view) {
  if (!app.show_formula) return;
  ImGui::BeginChild("formula", ImVec2(0, 0), true);
  tour_caption(app);
  view.formula_panel();
  ImGui::EndChild();
}

// Embedded without the header: what a link or attribute got wrong still shows.
static void bare_notice(const App& app) {
  if (app.notice.empty()) return;
  ImGui::PushStyleColor(ImGuiCol_Text, notice_colour());
  ImGui::TextWrapped("%s", app.notice.c_str());
  ImGui::PopStyleColor();
}

// Wide: the parameters in a column at the left, the rest beside it.
static void wide_body(App& app, LessonView& view) {
  const ImGuiIO& io = ImGui::GetIO();
  const float params_w = app.show_params ? std::min(300.f, io.DisplaySize.x * 0.3f) : 0.f;
  const float formula_h = app.show_formula ? std::min(190.f, io.DisplaySize.y * 0.3f) : 0.f;
  if (params_w > 0) {
    ImGui::BeginChild("params", ImVec2(params_w, 0), true);
    view.params_panel();
    ImGui::EndChild();
    ImGui::SameLine();
  }
  ImGui::BeginGroup();
  if (app.show_transport) transport_bar(view.lesson());
  ImGui::BeginChild("canvas", ImVec2(0, -formula_h), true, ImGuiWindowFlags_HorizontalScrollbar);
  view.canvas();
  ImGui::EndChild();
  formula_child(app, view);
  ImGui::EndGroup();
}

// Narrow: one column — transport, picture, formula — or, with the drawer
// open, the parameters in their place. The touch targets of the drawer grow
// to kTouchTarget like the transport's.
static void narrow_body(App& app, LessonView& view) {
  const ImGuiIO& io = ImGui::GetIO();
  if (app.show_params && !app.show_header) {
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, touch_padding());
    drawer_button(app, -1);
    ImGui::PopStyleVar();
  }
  if (app.show_params && app.drawer_open) {
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, touch_padding());
    ImGui::BeginChild("params", ImVec2(0, 0), true);
    view.params_panel();
    ImGui::EndChild();
    ImGui::PopStyleVar();
    return;
  }
  if (app.show_transport) transport_bar(view.lesson(), true);
  // The formula wraps, so it needs rows rather than width: a bit less of the
  // height than on a wide screen, where it has the whole line.
  const float formula_h = app.show_formula ? std::min(170.f, io.DisplaySize.y * 0.26f) : 0.f;
  ImGui::BeginChild("canvas", ImVec2(0, -formula_h), true);
  view.canvas();
  ImGui::EndChild();
  formula_child(app, view);
}

// Escape closes the topmost open popup (a combo's list, a menu). ImGui does
// that only with keyboard navigation, which the shell leaves off (the arrows
// step the lesson), so a list stayed open over the rows below it.
static void escape_closes_popup() {
  ImGuiContext& g = *GImGui;
  if (g.OpenPopupStack.Size > 0 && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false))
    ImGui::ClosePopupToLevel(g.OpenPopupStack.Size - 1, true);
}

void app_frame(App& app, float dt) {
  ++app.frames;
  escape_closes_popup();
  app.tab_rects.clear();
  app.messages_rect = app.theme_rect = App::Rect();
  app_expire_notice(app);
  field_new_frame();
  const ImGuiIO& io = ImGui::GetIO();
  app.narrow = io.DisplaySize.x < kNarrowWidth;
  if (!app.narrow || !app.show_params) app.drawer_open = false;
  if (!app.narrow || !app.show_params)
    app.drawer_button[0] = app.drawer_button[1] = app.drawer_button[2] = app.drawer_button[3] = 0;

  // A phone's width is too precious for the wide screen's margins.
  if (app.narrow) ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(6, 6));
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(io.DisplaySize);
  ImGui::Begin("Stepwise", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus);
  if (app.show_header && app.narrow) {
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, touch_padding());
    narrow_header(app);
    ImGui::PopStyleVar();
  } else if (app.show_header) {
    header(app);
  } else {
    bare_notice(app);
  }
  LessonView& view = app.view();
  Lesson& lesson = view.lesson();
  view.set_narrow(app.narrow);

  transport_keys(lesson);
  lesson.tick(dt);

  ImGui::PushID(app.active);
  if (app.narrow)
    narrow_body(app, view);
  else
    wide_body(app, view);
  ImGui::PopID();
  ImGui::End();
  if (app.narrow) ImGui::PopStyleVar();
  // Every panel has drawn: now the edits they asked for may rebuild traces.
  apply_queued_edits();
}

bool app_touch_grabs(App& app, float x, float y) {
  return std::isfinite(x) && std::isfinite(y) && app.view().grabs_touch(x, y);
}

bool app_widget_in_use() {
  ImGuiContext& g = *GImGui;
  // Clicking empty space makes the window's move handle "active" (even with
  // NoMove): that is not a widget.
  const bool active =
      g.ActiveId != 0 && !(g.ActiveIdWindow && g.ActiveId == g.ActiveIdWindow->MoveId);
  return active || ImGui::IsAnyItemHovered() || ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId);
}

bool app_wants_wheel() {
  ImGuiContext& g = *GImGui;
  for (ImGuiWindow* w = g.HoveredWindow; w; w = w->ParentWindow) {
    if (w->ScrollMax.y > 0 || w->ScrollMax.x > 0) return true;
    if (!(w->Flags & ImGuiWindowFlags_ChildWindow)) break;
  }
  return false;
}

}  // namespace sw
