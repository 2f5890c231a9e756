#include "app.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <nlohmann/json.hpp>

#include "fonts.h"
#include "job.h"
#include "gpu_fields.h"
#include "theme.h"
#include "transport.h"
#include "widgets.h"

namespace sw {

App::App() {
  lessons.push_back(make_conv_view());
  lessons.push_back(make_svm_view());
  lessons.push_back(make_batchnorm_view());
}

int App::find(const std::string& name) const {
  for (size_t i = 0; i < lessons.size(); ++i)
    if (name == lessons[i]->lesson().name()) return (int)i;
  return -1;
}

static void header(App& app) {
  const Palette& pal = palette();
  ImGui::PushFont(fonts().title ? fonts().title : ImGui::GetFont());
  ImGui::TextUnformatted("Stepwise");
  ImGui::PopFont();
  for (size_t i = 0; i < app.lessons.size() && app.lessons.size() > 1; ++i) {
    ImGui::SameLine(0, i ? 4 : 16);
    if (ImGui::Selectable(app.lessons[i]->title(), app.active == (int)i, 0,
                          ImGui::CalcTextSize(app.lessons[i]->title())))
      app.active = (int)i;
  }
  ImGui::SameLine(0, 16);
  ImGui::PushStyleColor(ImGuiCol_Text, pal.text_dim);
  ImGui::TextUnformatted(app.view().subtitle());
  ImGui::PopStyleColor();
  if (!app.notice.empty()) {
    ImGui::SameLine();
    ImGui::PushStyleColor(ImGuiCol_Text, pal.dark ? IM_COL32(255, 170, 90, 255) : IM_COL32(176, 80, 0, 255));
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

void app_frame(App& app, float dt) {
  ++app.frames;
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
    ImGui::PushStyleColor(ImGuiCol_Text, pal.dark ? IM_COL32(255, 170, 90, 255) : IM_COL32(176, 80, 0, 255));
    ImGui::TextWrapped("%s", app.notice.c_str());
    ImGui::PopStyleColor();
  }
  LessonView& view = app.view();
  Lesson& lesson = view.lesson();

  transport_keys(lesson.trace(), lesson.stepper());
  lesson.stepper().tick(lesson.trace(), dt);

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
  if (app.show_transport) transport_bar(lesson.trace(), lesson.stepper());
  ImGui::BeginChild("canvas", ImVec2(0, -formula_h), true, ImGuiWindowFlags_HorizontalScrollbar);
  view.canvas();
  ImGui::EndChild();
  if (app.show_formula) {
    ImGui::BeginChild("formula", ImVec2(0, 0), true);
    view.formula_panel();
    ImGui::EndChild();
  }
  ImGui::EndGroup();
  ImGui::PopID();
  ImGui::End();
}

using nlohmann::json;

// What the page reads must never throw: text that is not UTF-8 (a message
// quoting raw link bytes) is written with U+FFFD instead.
static std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}
// A lesson's JSON text as a value: {} if it is not JSON (a discarded value
// would be written as "<discarded>").
static json object_of(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  return j.is_discarded() ? json::object() : j;
}

std::string app_state_json(App& app) {
  Lesson& l = app.lesson();
  json j = {{"lesson", l.name()},
            {"lessons", json::array()},
            {"step", l.step()},
            {"steps", l.trace().size()},
            {"level", l.trace().level_name(l.stepper().level())},
            {"playing", l.stepper().playing()},
            {"speed", l.stepper().speed()},
            {"theme", app.dark ? "dark" : "light"},
            {"frames", app.frames},
            {"hash", app_hash(app)},
            {"notice", app.notice},
            {"link_note", l.link_note()},
            {"params", object_of(l.params_json())},
            {"view", object_of(app.view().view_json())}};
  for (const auto& v : app.lessons) j["lessons"].push_back(v->lesson().name());
  Op op;
  if (l.current_op(&op))
    j["op"] = {{"kind", op.kind}, {"target", op.target.index}, {"value", op.value},
               {"result", op.target.value}, {"formula", op.formula}, {"words", op.words}};
  return dump(j);
}

std::string app_command(App& app, const std::string& text) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("cmd") || !j["cmd"].is_string())
    return "a command must be a JSON object with a \"cmd\" string";
  const std::string cmd = j["cmd"].get<std::string>();
  Lesson& l = app.lesson();
  const Trace& tr = l.trace();
  Stepper& st = l.stepper();
  auto number = [&](const char* key, double dflt, double* out) -> bool {
    if (!j.contains(key)) return *out = dflt, true;
    if (!j[key].is_number()) return false;
    *out = j[key].get<double>();
    return std::isfinite(*out);
  };
  auto text_field = [&](const char* key, std::string* out) -> bool {
    if (!j.contains(key) || !j[key].is_string()) return false;
    *out = j[key].get<std::string>();
    return true;
  };
  double n = 0;
  std::string s;
  if (cmd == "step") {
    if (!number("n", 1, &n) || std::fabs(n) > 1e7) return "step: \"n\" must be a number of steps (|n| ≤ 10⁷)";
    for (long long i = 0; i < (long long)std::fabs(n); ++i) n > 0 ? st.forward(tr) : st.back(tr);
  } else if (cmd == "seek") {
    if (!number("step", 0, &n)) return "seek: \"step\" must be a finite number";
    st.seek(tr, (int64_t)std::clamp(n, -1.0, 9e15));
  } else if (cmd == "play") {
    st.play(tr);
  } else if (cmd == "pause") {
    st.pause();
  } else if (cmd == "reset") {
    st.reset();
  } else if (cmd == "level") {
    if (!number("level", 0, &n)) return "level: \"level\" must be a number";
    st.set_level(tr, (int)std::clamp(n, 0.0, 8.0));
  } else if (cmd == "theme") {
    if (!text_field("theme", &s) || (s != "light" && s != "dark"))
      return "theme: \"theme\" must be \"light\" or \"dark\"";
    app.dark = s == "dark";
    apply_theme(app.dark);
  } else if (cmd == "lesson") {
    int i = text_field("lesson", &s) ? app.find(s) : -1;
    if (i < 0) return "lesson: unknown lesson";
    app.active = i;
  } else {
    return "unknown command " + quote_value(cmd);
  }
  return "";
}

std::string app_apply_hash(App& app, const std::string& hash) {
  std::string msg, panels = "-";
  bool autoplay = false;
  UrlParams params = parse_url_params(hash, &msg), rest, unknown;
  for (const auto& [key, val] : params) {
    if (key == "lesson") {
      int i = app.find(val);
      if (i >= 0) app.active = i;
      else msg += "lesson=" + quote_value(val) + " is not available; ";
    } else if (key == "theme") {
      if (val == "light" || val == "dark") app.dark = val == "dark";
      else msg += "theme=" + quote_value(val) + " ignored: light or dark; ";
    } else if (key == "embed") {
      app.embed = val == "1" || val == "true";
      // Minimal chrome by default; `panels=` (any order) overrides.
      app.show_header = app.show_params = !app.embed;
    } else if (key == "panels") {
      panels = val;
    } else if (key == "autoplay") {
      autoplay = val == "1" || val == "true";
    } else {
      rest.emplace_back(key, val);
    }
  }
  if (panels != "-") {
    app.show_header = app.show_params = app.show_transport = app.show_formula = false;
    size_t pos = 0;
    while (pos <= panels.size()) {
      size_t comma = panels.find(',', pos);
      std::string p = panels.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
      pos = comma == std::string::npos ? panels.size() + 1 : comma + 1;
      if (p == "header") app.show_header = true;
      else if (p == "params") app.show_params = true;
      else if (p == "transport") app.show_transport = true;
      else if (p == "formula") app.show_formula = true;
      else if (!p.empty() && p != "canvas") msg += "panels: unknown panel " + quote_value(p) + "; ";
    }
  }
  std::string lesson_msg = app.lesson().apply_url(rest, &unknown);
  if (autoplay) app.lesson().stepper().play(app.lesson().trace());
  if (!lesson_msg.empty()) msg += lesson_msg + "; ";
  for (const auto& kv : unknown) msg += "unknown field " + quote_value(kv.first) + "; ";
  if (!msg.empty()) msg.resize(msg.size() - 2);
  app.notice = msg;
  return msg;
}

std::string app_hash(App& app) {
  return std::string("lesson=") + app.lesson().name() + "&" + app.lesson().url() +
         (app.dark ? "&theme=dark" : "") + (app.embed ? "&embed=1" : "");
  // (panels and autoplay belong to the embedding page, not to the shared state)
}

}  // namespace sw

namespace sw {

long long app_revision(App& app) {
  // The deep link without its step names the lesson, parameters and data.
  std::string url = app.lesson().url();
  size_t at = url.find("step=");
  if (at != std::string::npos) url.erase(at);
  return (long long)(std::hash<std::string>()(std::string(app.lesson().name()) + url +
                                               (app.dark ? "dark" : "light")) >> 1);
}

bool app_touch_grabs(App& app, float x, float y) {
  return std::isfinite(x) && std::isfinite(y) && app.view().grabs_touch(x, y);
}

bool app_widget_in_use() {
  ImGuiContext& g = *GImGui;
  // Clicking empty space makes the window's move handle "active" (even with
  // NoMove): that is not a widget.
  const bool active = g.ActiveId != 0 && !(g.ActiveIdWindow && g.ActiveId == g.ActiveIdWindow->MoveId);
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

namespace sw {

std::string app_export_json(App& app) {
  Lesson& l = app.lesson();
  json job = object_of(l.job_json());
  json out = {{"state", object_of(app_state_json(app))}, {"job", job}};
  const bool with_trace = l.trace().size() <= kMaxExportTrace;
  job["trace"] = with_trace;
  JobResult r = run_job(dump(job));
  json result = json::parse(r.json, nullptr, false);
  if (with_trace && result.contains("trace")) {
    out["trace"] = std::move(result["trace"]);
    result.erase("trace");
  } else if (!with_trace) {
    out["trace_omitted"] = std::to_string(l.trace().size()) +
                           " operations: run the job with the CLI and \"trace\": true for all of them";
  }
  out["result"] = std::move(result);
  return dump(out);
}

std::string app_python(App& app) {
  JobResult r = python_for_job(app.lesson().job_json());
  return r.exit_code == 0 ? r.json : "# " + r.json;
}

}  // namespace sw
