// The page protocol's commands through the lesson's own calls (page_command.h).
#include "page_command.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "url_state.h"

namespace sw::fuzz {

using nlohmann::json;

static PageCommandResult error(const std::string& msg) {
  PageCommandResult r;
  r.error = msg;
  return r;
}

PageCommandResult page_command(LinkFuzz& lf, size_t i, const std::string& text) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("cmd") || !j["cmd"].is_string())
    return error("a command must be a JSON object with a \"cmd\" string");
  const std::string cmd = j["cmd"].get<std::string>();
  Lesson& l = *lf.lessons[i].lesson;
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
  PageCommandResult ok;
  ok.ok = true;
  if (cmd == "step") {
    if (!number("n", 1, &n) || std::fabs(n) > 1e7)
      return error("step: \"n\" must be a number of steps (|n| ≤ 10⁷)");
    const long long k = std::min<long long>((long long)std::fabs(n), kFuzzMaxSteps);
    for (long long m = 0; m < k; ++m) n > 0 ? l.forward() : l.back();
  } else if (cmd == "seek") {
    if (!number("step", 0, &n)) return error("seek: \"step\" must be a finite number");
    l.seek((int64_t)std::clamp(n, -1.0, 9e15));
  } else if (cmd == "play") {
    l.play();
  } else if (cmd == "pause") {
    l.pause();
  } else if (cmd == "reset") {
    l.reset();
  } else if (cmd == "level") {
    if (!number("level", 0, &n)) return error("level: \"level\" must be a number");
    l.set_level((int)std::clamp(n, 0.0, 8.0));
  } else if (cmd == "theme") {
    if (!text_field("theme", &s) || (s != "light" && s != "dark"))
      return error("theme: \"theme\" must be \"light\" or \"dark\"");
  } else if (cmd == "lesson") {
    const int k = text_field("lesson", &s) ? lf.find(s) : -1;
    if (k < 0) return error("lesson: unknown lesson");
    ok.lesson = k;
  } else {
    return error("unknown command " + quote_value(cmd));
  }
  return ok;
}

}  // namespace sw::fuzz
