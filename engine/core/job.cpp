#include "job.h"

#include <exception>

#include "json_io.h"
#include "lesson_jobs.h"

namespace sw {

namespace {

struct LessonJob {
  const char* name;
  bool (*run)(const Json& job, Json& out, std::string& err);
};

const LessonJob kLessons[] = {
    {"conv", conv_job},
    {"batchnorm", batchnorm_job},
};

JobResult error_result(const std::string& message) {
  return {Json{{"error", message}}.dump(), 1};
}

}  // namespace

JobResult run_job(const std::string& text) {
  // Parse without exceptions: malformed text is the commonest bad input.
  Json job = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (job.is_discarded()) return error_result("the job is not valid JSON");
  if (!job.is_object()) return error_result("the job must be a JSON object");
  if (!job.contains("lesson")) return error_result("the job needs a \"lesson\" field");
  std::string lesson, err;
  if (!json_string(job["lesson"], "lesson", lesson, err)) return error_result(err);
  std::string known;
  for (const LessonJob& l : kLessons) {
    known += (known.empty() ? "" : ", ") + std::string(l.name);
    if (lesson != l.name) continue;
    Json out;
    try {
      if (!l.run(job, out, err)) return error_result(err);
    } catch (const std::bad_alloc&) {
      return error_result("out of memory while running the job");
    } catch (const std::exception& e) {
      // Defensive: handlers validate first, so this means a bug; still no crash.
      return error_result(std::string("internal error: ") + e.what());
    }
    return {out.dump(), 0};
  }
  return error_result("unknown lesson '" + lesson + "' (known: " + known + ")");
}

}  // namespace sw
