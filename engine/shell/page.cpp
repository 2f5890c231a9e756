// The page protocol: the state, commands, deep links and exports the browser
// page, the JS API and postMessage reach through web_main.cpp's exports
// (listed in docs/architecture.md). The frame layout is in app.cpp.
#include <cmath>
#include <exception>

#include "app.h"
#include "job_trace.h"
#include "layout_report.h"
#include "theme.h"

namespace sw {

using nlohmann::json;

constexpr size_t kMaxCaption = 2000;  // a tour stop's caption, in bytes

// What the page reads must never throw: text that is not UTF-8 (a message
// quoting raw link bytes) is written with U+FFFD instead.
static std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}
Json app_state(App& app) {
  app_expire_notice(app);
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
            {"caption", app.caption},
            {"link_note", l.link_note()},
            {"params", l.params()},
            {"view", app.view().view_json()}};
  for (const LessonSlot& slot : app.lessons) j["lessons"].push_back(slot.info->name);
  // Measured on the last frame drawn (layout_report.h): whether every panel fits.
  const LayoutReport layout = layout_report();
  j["layout"] = {{"width", layout.width},
                 {"height", layout.height},
                 {"overflow_x", layout.overflow_x},
                 {"clipped", layout.clipped}};
  j["layout_note"] = layout.why;
  // Narrow screens only: the parameters' drawer, and where its button is (CSS px).
  if (app.narrow && app.show_params)
    j["drawer"] = {
        {"open", app.drawer_open},
        {"button",
         {app.drawer_button[0], app.drawer_button[1], app.drawer_button[2], app.drawer_button[3]}}};
  else
    j["drawer"] = nullptr;
  Op op;
  if (l.current_op(&op))
    j["op"] = {{"kind", op.kind},           {"target", op.target.index}, {"value", op.value},
               {"result", op.target.value}, {"formula", op.formula},     {"words", op.words}};
  return j;
}

std::string app_state_json(App& app) {
  return dump(app_state(app));
}

std::string app_command(App& app, const std::string& text) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("cmd") || !j["cmd"].is_string())
    return "a command must be a JSON object with a \"cmd\" string";
  const std::string cmd = j["cmd"].get<std::string>();
  Lesson& l = app.lesson();
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
    if (!number("n", 1, &n) || std::fabs(n) > 1e7)
      return "step: \"n\" must be a number of steps (|n| ≤ 10⁷)";
    for (long long i = 0; i < (long long)std::fabs(n); ++i) n > 0 ? l.forward() : l.back();
  } else if (cmd == "seek") {
    if (!number("step", 0, &n)) return "seek: \"step\" must be a finite number";
    l.seek((int64_t)std::clamp(n, -1.0, 9e15));
  } else if (cmd == "play") {
    l.play();
  } else if (cmd == "pause") {
    l.pause();
  } else if (cmd == "reset") {
    l.reset();
  } else if (cmd == "speed") {
    if (!number("speed", 0, &n) || !(n > 0))
      return "speed: \"speed\" must be a positive number of units a second";
    l.set_speed(n);
  } else if (cmd == "level") {
    if (!number("level", 0, &n)) return "level: \"level\" must be a number";
    l.set_level((int)std::clamp(n, 0.0, 8.0));
  } else if (cmd == "theme") {
    if (!text_field("theme", &s) || (s != "light" && s != "dark"))
      return "theme: \"theme\" must be \"light\" or \"dark\"";
    app.dark = s == "dark";
    apply_theme(app.dark);
  } else if (cmd == "lesson") {
    int i = text_field("lesson", &s) ? app.find(s) : -1;
    if (i < 0) return "lesson: unknown lesson";
    app.active = i;
  } else if (cmd == "caption") {
    if (!text_field("text", &s)) return "caption: \"text\" must be a string";
    if (s.size() > kMaxCaption)
      return "caption: at most " + std::to_string(kMaxCaption) + " bytes of text";
    for (char& ch : s)
      if ((unsigned char)ch < 0x20) ch = ' ';  // one paragraph: no control characters
    app.caption = s;
  } else if (cmd == "notice") {
    if (!text_field("text", &s)) return "notice: \"text\" must be a string";
    if (s.size() > kMaxCaption)
      return "notice: at most " + std::to_string(kMaxCaption) + " bytes of text";
    app.notice = s;
    app.notice_revision = app_revision(app);
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
      if (i >= 0)
        app.active = i;
      else
        msg += "lesson=" + quote_value(val) + " is not available; ";
    } else if (key == "theme") {
      if (val == "light" || val == "dark")
        app.dark = val == "dark";
      else
        msg += "theme=" + quote_value(val) + " ignored: light or dark; ";
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
      std::string p =
          panels.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
      pos = comma == std::string::npos ? panels.size() + 1 : comma + 1;
      if (p == "header")
        app.show_header = true;
      else if (p == "params")
        app.show_params = true;
      else if (p == "transport")
        app.show_transport = true;
      else if (p == "formula")
        app.show_formula = true;
      else if (!p.empty() && p != "canvas")
        msg += "panels: unknown panel " + quote_value(p) + "; ";
    }
  }
  std::string lesson_msg = app.lesson().apply_url(rest, &unknown);
  if (autoplay) app.lesson().play();
  if (!lesson_msg.empty()) msg += lesson_msg + "; ";
  for (const auto& kv : unknown) msg += "unknown field " + quote_value(kv.first) + "; ";
  if (!msg.empty()) msg.resize(msg.size() - 2);
  app.notice = msg;
  app.notice_revision = app_revision(app);
  return msg;
}

void app_expire_notice(App& app) {
  if (!app.notice.empty() && app_revision(app) != app.notice_revision) app.notice.clear();
}

std::string app_hash(App& app) {
  return std::string("lesson=") + app.lesson().name() + "&" + app.lesson().url() +
         (app.dark ? "&theme=dark" : "") + (app.embed ? "&embed=1" : "");
  // (panels and autoplay belong to the embedding page, not to the shared state)
}

}  // namespace sw

namespace sw {

long long app_revision(App& app) {
  // The active lesson, its rebuild count and the theme: exact in a JS number
  // (2⁵³) while a lesson is rebuilt fewer than 2⁴³ times.
  const uint64_t version = app.lesson().version() & ((1ull << 43) - 1);
  return (long long)(((uint64_t)app.active << 44) | (version << 1) | (app.dark ? 1 : 0));
}

}  // namespace sw

namespace sw {

Json app_export(App& app) {
  Lesson& l = app.lesson();
  json job = l.job();
  json out = {{"state", app_state(app)}, {"job", job}};
  const bool with_trace = l.trace().size() <= kMaxExportTrace;
  job["trace"] = with_trace;
  // The registry's handler directly: the job is already a value, no text.
  json result;
  std::string err;
  try {
    if (!app.info().job(job, result, err)) result = {{"error", err}};
  } catch (const std::exception& e) {
    result = {{"error", std::string("internal error: ") + e.what()}};
  }
  if (with_trace && result.contains("trace")) {
    out["trace"] = std::move(result["trace"]);
    result.erase("trace");
  } else if (!with_trace) {
    out["trace_omitted"] =
        std::to_string(l.trace().size()) +
        " operations: run the job with the CLI and \"trace\": true for all of them";
  }
  out["result"] = std::move(result);
  return out;
}

std::string app_export_json(App& app) {
  return dump(app_export(app));
}

std::string app_python(App& app, const std::string& framework) {
  std::string out, err;
  try {
    if (lesson_python(app.info(), app.lesson().job(), framework, out, err)) return out;
  } catch (const std::exception& e) {
    err = std::string("internal error: ") + e.what();
  }
  return "# " + dump(json{{"error", err}});
}

}  // namespace sw
