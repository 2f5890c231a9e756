#include "app.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "fonts.h"
#include "gpu_fields.h"
#include "theme.h"
#include "transport.h"
#include "widgets.h"

namespace sw {

App::App() {
  lessons.push_back(make_conv_view());
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
  if (!app.embed) header(app);
  LessonView& view = app.view();
  Lesson& lesson = view.lesson();

  transport_keys(lesson.trace(), lesson.stepper());
  lesson.stepper().tick(lesson.trace(), dt);

  const float params_w = app.embed ? 0.f : 300.f;
  const float formula_h = 190.f;
  ImGui::PushID(app.active);
  if (params_w > 0) {
    ImGui::BeginChild("params", ImVec2(params_w, 0), true);
    view.params_panel();
    ImGui::EndChild();
    ImGui::SameLine();
  }
  ImGui::BeginGroup();
  transport_bar(lesson.trace(), lesson.stepper());
  ImGui::BeginChild("canvas", ImVec2(0, -formula_h), true, ImGuiWindowFlags_HorizontalScrollbar);
  view.canvas();
  ImGui::EndChild();
  ImGui::BeginChild("formula", ImVec2(0, 0), true);
  view.formula_panel();
  ImGui::EndChild();
  ImGui::EndGroup();
  ImGui::PopID();
  ImGui::End();
}

using nlohmann::json;

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
            {"params", json::parse(l.params_json(), nullptr, false)},
            {"view", json::parse(app.view().view_json(), nullptr, false)}};
  for (const auto& v : app.lessons) j["lessons"].push_back(v->lesson().name());
  Op op;
  if (l.current_op(&op))
    j["op"] = {{"kind", op.kind}, {"target", op.target.index}, {"value", op.value},
               {"result", op.target.value}, {"formula", op.formula}, {"words", op.words}};
  return j.dump();
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
  std::string msg;
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
    } else {
      rest.emplace_back(key, val);
    }
  }
  std::string lesson_msg = app.lesson().apply_url(rest, &unknown);
  if (!lesson_msg.empty()) msg += lesson_msg + "; ";
  for (const auto& kv : unknown) msg += "unknown field " + quote_value(kv.first) + "; ";
  if (!msg.empty()) msg.resize(msg.size() - 2);
  app.notice = msg;
  return msg;
}

std::string app_hash(App& app) {
  return std::string("lesson=") + app.lesson().name() + "&" + app.lesson().url() +
         (app.dark ? "&theme=dark" : "") + (app.embed ? "&embed=1" : "");
}

}  // namespace sw
