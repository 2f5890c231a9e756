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

static void header(App& app) {
  const Palette& pal = palette();
  ImGui::PushFont(fonts().title ? fonts().title : ImGui::GetFont());
  ImGui::TextUnformatted("Stepwise");
  ImGui::PopFont();
  for (size_t i = 0; i < app.lessons.size() && app.lessons.size() > 1; ++i) {
    ImGui::SameLine(0, i ? 4 : 16);
    const char* title = app.lessons[i].info->title;
    if (ImGui::Selectable(title, app.active == (int)i, 0, ImGui::CalcTextSize(title)))
      app.active = (int)i;
  }
  ImGui::SameLine(0, 16);
  ImGui::PushStyleColor(ImGuiCol_Text, pal.text_dim);
  ImGui::TextUnformatted(app.info().description);
  ImGui::PopStyleColor();
  if (!app.notice.empty()) {
    ImGui::SameLine();
    ImGui::PushStyleColor(ImGuiCol_Text,
                          pal.dark ? IM_COL32(255, 170, 90, 255) : IM_COL32(176, 80, 0, 255));
    ImGui::TextUnformatted(("Link: " + app.notice).c_str());
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", app.notice.c_str());
    ImGui::PopStyleColor();
  }
  ImGui::SameLine(ImGui::GetWindowWidth() - 120);
  if (ImGui::Button(app.dark ? "Light theme" : "Dark theme", ImVec2(108, 0))) {
    app.dark = !app.dark;
    apply_theme(app.dark);
  }
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

void app_frame(App& app, float dt) {
  ++app.frames;
  app_expire_notice(app);
  field_new_frame();
  const ImGuiIO& io = ImGui::GetIO();

  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(io.DisplaySize);
  ImGui::Begin("Stepwise", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus);
  if (app.show_header) {
    header(app);
  } else if (!app.notice.empty()) {
    // Embedded without the header: what a link or attribute got wrong still shows.
    const Palette& pal = palette();
    ImGui::PushStyleColor(ImGuiCol_Text,
                          pal.dark ? IM_COL32(255, 170, 90, 255) : IM_COL32(176, 80, 0, 255));
    ImGui::TextWrapped("%s", app.notice.c_str());
    ImGui::PopStyleColor();
  }
  LessonView& view = app.view();
  Lesson& lesson = view.lesson();

  transport_keys(lesson);
  lesson.tick(dt);

  const float params_w = app.show_params ? std::min(300.f, io.DisplaySize.x * 0.3f) : 0.f;
  const float formula_h = app.show_formula ? std::min(190.f, io.DisplaySize.y * 0.3f) : 0.f;
  ImGui::PushID(app.active);
  if (params_w > 0) {
    ImGui::BeginChild("params", ImVec2(params_w, 0), true);
    view.params_panel();
    ImGui::EndChild();
    ImGui::SameLine();
  }
  ImGui::BeginGroup();
  if (app.show_transport) transport_bar(lesson);
  ImGui::BeginChild("canvas", ImVec2(0, -formula_h), true, ImGuiWindowFlags_HorizontalScrollbar);
  view.canvas();
  ImGui::EndChild();
  if (app.show_formula) {
    ImGui::BeginChild("formula", ImVec2(0, 0), true);
    tour_caption(app);
    view.formula_panel();
    ImGui::EndChild();
  }
  ImGui::EndGroup();
  ImGui::PopID();
  ImGui::End();
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
