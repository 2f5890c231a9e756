#include "job.h"

#include <exception>

#include "json_io.h"
#include "registry.h"
#include "url_state.h"

namespace sw {

namespace {

// Output text never throws: bytes that are not UTF-8 (from a message that
// quotes raw input) become U+FFFD instead of a json type_error.
std::string dump(const Json& j) {
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

JobResult error_result(const std::string& message) {
  return {dump(Json{{"error", message}}), 1};
}

}  // namespace

// Parses the job and finds its lesson; on failure fills `error`.
static const LessonInfo* lesson_of(const std::string& text, Json& job, JobResult& error) {
  // Parse without exceptions: malformed text is the commonest bad input.
  // Values past kMaxJobValues are dropped as they are read (a 240 MB file of
  // "0," would otherwise become 5 GB of JSON values before any check).
  size_t values = 0;
  auto count = [&values](int, Json::parse_event_t event, Json&) {
    if (event == Json::parse_event_t::key || event == Json::parse_event_t::object_end ||
        event == Json::parse_event_t::array_end)
      return true;
    return ++values <= kMaxJobValues;
  };
  job = Json::parse(text, count, /*allow_exceptions=*/false);
  std::string lesson, err;
  if (values > kMaxJobValues)
    return error = error_result("the job holds more than " + std::to_string(kMaxJobValues) +
                                " values; no lesson takes that many"),
           nullptr;
  if (job.is_discarded()) return error = error_result("the job is not valid JSON"), nullptr;
  if (!job.is_object()) return error = error_result("the job must be a JSON object"), nullptr;
  if (!job.contains("lesson"))
    return error = error_result("the job needs a \"lesson\" field"), nullptr;
  if (!json_string(job["lesson"], "lesson", lesson, err)) return error = error_result(err), nullptr;
  if (const LessonInfo* l = find_lesson(lesson)) return l;
  error =
      error_result("unknown lesson " + quote_value(lesson) + " (known: " + lesson_names() + ")");
  return nullptr;
}

// Runs a handler; handlers validate first, so an exception means a bug —
// still reported as a message, never a crash.
template <class F>
static JobResult guarded(F f) {
  try {
    return f();
  } catch (const std::bad_alloc&) {
    return error_result("out of memory while running the job");
  } catch (const std::exception& e) {
    return error_result(std::string("internal error: ") + e.what());
  }
}

JobResult run_job(const std::string& text) {
  Json job;
  JobResult r;
  const LessonInfo* l = lesson_of(text, job, r);
  if (!l) return r;
  return guarded([&] {
    Json out;
    std::string err;
    if (!l->job(job, out, err)) return error_result(err);
    return JobResult{dump(out), 0};
  });
}

JobResult python_for_job(const std::string& text, const std::string& framework) {
  Json job;
  JobResult r;
  const LessonInfo* l = lesson_of(text, job, r);
  if (!l) return r;
  return guarded([&] {
    std::string out, err;
    if (!lesson_python(*l, job, framework, out, err)) return error_result(err);
    return JobResult{out, 0};
  });
}

}  // namespace sw
