#include "app.h"

#include "conv_url.h"

#include <imgui.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

#include "fonts.h"
#include "gpu_fields.h"
#include "theme.h"
#include "transport.h"
#include "widgets.h"

namespace sw {

static void header(App& app) {
  const Palette& pal = palette();
  ImGui::PushFont(fonts().title ? fonts().title : ImGui::GetFont());
  ImGui::TextUnformatted("Stepwise");
  ImGui::PopFont();
  ImGui::SameLine();
  ImGui::PushStyleColor(ImGuiCol_Text, pal.text_dim);
  ImGui::SetCursorPosY(ImGui::GetCursorPosY() + 3);
  ImGui::TextUnformatted("Convolution, one operation at a time");
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
  ConvLesson& lesson = app.conv;
  const ImGuiIO& io = ImGui::GetIO();

  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(io.DisplaySize);
  ImGui::Begin("Stepwise", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus);
  if (!app.embed) header(app);

  transport_keys(lesson.trace(), lesson.stepper());
  lesson.stepper().tick(lesson.trace(), dt);

  const float params_w = app.embed ? 0.f : 300.f;
  const float formula_h = 190.f;
  if (params_w > 0) {
    ImGui::BeginChild("params", ImVec2(params_w, 0), true);
    conv_params_panel(lesson, app.conv_view);
    ImGui::EndChild();
    ImGui::SameLine();
  }
  ImGui::BeginGroup();
  transport_bar(lesson.trace(), lesson.stepper());
  ImGui::BeginChild("canvas", ImVec2(0, -formula_h), true, ImGuiWindowFlags_HorizontalScrollbar);
  conv_canvas(lesson, app.conv_view);
  ImGui::EndChild();
  ImGui::BeginChild("formula", ImVec2(0, 0), true);
  conv_formula_panel(lesson, app.conv_view);
  ImGui::EndChild();
  ImGui::EndGroup();
  ImGui::End();
}

using nlohmann::json;

std::string app_state_json(App& app) {
  ConvLesson& l = app.conv;
  const ConvShape& s = l.shape();
  json j = {{"lesson", app.lesson},
            {"step", l.step()},
            {"steps", l.trace().size()},
            {"level", l.trace().level_name(l.stepper().level())},
            {"playing", l.stepper().playing()},
            {"speed", l.stepper().speed()},
            {"theme", app.dark ? "dark" : "light"},
            {"frames", app.frames},
            {"hash", app_hash(app)},
            {"notice", app.notice},
            {"params",
             {{"C", s.C}, {"H", s.H}, {"W", s.W}, {"F", s.F}, {"KH", s.KH}, {"KW", s.KW},
              {"stride", {s.stride_h, s.stride_w}}, {"padding", {s.pad_h, s.pad_w}},
              {"dilation", {s.dil_h, s.dil_w}}, {"activation", s.relu ? "relu" : "none"},
              {"input_preset", l.input_preset()}, {"kernel_preset", l.kernel_preset()},
              {"seed", l.seed()}}}};
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
  ConvLesson& l = app.conv;
  const Trace& tr = l.trace();
  Stepper& st = l.stepper();
  auto number = [&](const char* key, double dflt, double* out) -> bool {
    if (!j.contains(key)) return *out = dflt, true;
    if (!j[key].is_number()) return false;
    *out = j[key].get<double>();
    return std::isfinite(*out);
  };
  double n = 0;
  if (cmd == "step") {
    if (!number("n", 1, &n) || std::fabs(n) > 1e7) return "step: \"n\" must be a finite number of steps";
    for (long long i = 0; i < (long long)std::fabs(n); ++i) n > 0 ? st.forward(tr) : st.back(tr);
  } else if (cmd == "seek") {
    if (!number("step", 0, &n)) return "seek: \"step\" must be a number";
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
    if (!j.contains("theme") || !j["theme"].is_string()) return "theme: \"theme\" must be \"light\" or \"dark\"";
    std::string t = j["theme"].get<std::string>();
    if (t != "light" && t != "dark") return "theme: \"theme\" must be \"light\" or \"dark\"";
    app.dark = t == "dark";
    apply_theme(app.dark);
  } else {
    return "unknown command '" + cmd + "'";
  }
  return "";
}

std::string app_apply_hash(App& app, const std::string& hash) {
  std::string msg;
  UrlParams params = parse_url_params(hash, &msg), rest, unknown;
  for (const auto& [key, val] : params) {
    if (key == "lesson") {
      if (val != "conv") msg += "lesson=" + quote_value(val) + " is not available (try conv); ";
    } else if (key == "theme") {
      if (val == "light" || val == "dark") app.dark = val == "dark";
      else msg += "theme=" + quote_value(val) + " ignored: light or dark; ";
    } else if (key == "embed") {
      app.embed = val == "1" || val == "true";
    } else {
      rest.emplace_back(key, val);
    }
  }
  std::string conv_msg = conv_apply_url(app.conv, rest, &unknown);
  if (!conv_msg.empty()) msg += conv_msg + "; ";
  for (const auto& kv : unknown) msg += "unknown field " + quote_value(kv.first) + "; ";
  if (!msg.empty()) msg.resize(msg.size() - 2);
  app.notice = msg;
  return msg;
}

std::string app_hash(const App& app) {
  return "lesson=" + app.lesson + "&" + conv_url(app.conv) + (app.dark ? "&theme=dark" : "") +
         (app.embed ? "&embed=1" : "");
}

}  // namespace sw
