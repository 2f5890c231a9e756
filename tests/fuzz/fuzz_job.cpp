// Fast fuzz target: the JSON job runner behind `stepwise job` and `stepwise python`.
//
// Input: the job text. Whatever it is, run_job() must return one JSON
// object — the lesson's fields (every number finite) with exit code 0, or
// exactly {"error": "…"} (a non-empty message) with exit code 1 — the same
// twice in a row; and python_for_job() must agree: a NumPy program for
// every job that runs (unless the lesson has no Python export), the same
// kind of error otherwise. Whole numbers are capped first (kFuzzJobCap,
// kFuzzJobTraceCap for a job that prints its trace); a capped job already
// checked is not checked again.
//   build/fuzz/tests/fuzz/stepwise-fuzz-job tests/fuzz/corpus/job
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_check.h"
#include "job.h"
#include "seen_once.h"

using namespace sw;
using namespace sw::fuzz;

static void check_error_object(const JobResult& r, const std::string& ctx) {
  FUZZ_REQUIRE(r.exit_code == 1, ctx + " | " + r.json);
  json j = json::parse(r.json, nullptr, false);
  FUZZ_REQUIRE(j.is_object() && j.size() == 1 && j.contains("error"), ctx + " | " + r.json);
  FUZZ_REQUIRE(j["error"].is_string() && !j["error"].get<std::string>().empty(),
               ctx + " | " + r.json);
}

// nlohmann writes NaN and ±Inf as null: a result with null in it carries a
// number that is not finite — except where a job's output documents a null
// (the optimizer lesson's "stopped": null for a run that did not stop; the
// SVM's "margin": null, with a "note", when w = 0).
static bool documented_null(const json& object, const std::string& key) {
  return key == "stopped" || (key == "margin" && object.contains("note"));
}

static bool has_null(const json& j) {
  if (j.is_null()) return true;
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it)
      if (!(it.value().is_null() && documented_null(j, it.key())) && has_null(it.value()))
        return true;
  } else if (j.is_array()) {
    for (const json& v : j)
      if (has_null(v)) return true;
  }
  return false;
}

// The fuzz-only size cap of jobs (as fuzz_links.h's for links): every whole
// number above kFuzzJobCap in a job that parses becomes kFuzzJobCap — a
// 10,000-step training run costs seconds under the sanitizers, run twice and
// exported. The product's limits stay covered by the unit tests
// (test_robust.cpp, the lessons' job tests); text that is not JSON runs as it is.
constexpr long long kFuzzJobCap = 64;
// A job that asks for its trace ("trace": true) prints one JSON record per
// operation (a few dozen allocations each under ASan), and this target runs
// it twice and parses what it prints: at 64 epochs of a few hundred points,
// seconds per input; at 8, a third of the target's time. Its whole numbers
// are capped at kFuzzJobTraceCap instead (8 until 2026-12-06): every kind of
// record still appears, and the same computations without the trace keep
// kFuzzJobCap. Numbers that are not whole (C = 2.5, η, coordinates) are
// never capped.
constexpr long long kFuzzJobTraceCap = 4;

static void cap_numbers(json& j, long long cap) {
  if (j.is_number_unsigned() && j.get<unsigned long long>() > (unsigned long long)cap)
    j = cap;
  else if (j.is_number_integer() && j.get<long long>() > cap)
    j = cap;
  else if (j.is_structured())
    for (json& v : j) cap_numbers(v, cap);
}

static std::string capped(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) return text;
  const bool traced = j.is_object() && j.contains("trace") && j["trace"] == true;
  cap_numbers(j, traced ? kFuzzJobTraceCap : kFuzzJobCap);
  return j.dump();
}

static void run(const std::string& raw) {
  const std::string text = capped(raw);
  // Everything below depends on `text` alone (run_job twice in a row must
  // agree: checked below), and capping rewrites a job in one canonical form
  // (whitespace, key order, numbers past the cap): about half the mutated
  // jobs that parse come out as one already checked.
  static SeenOnce checked;
  if (!checked.first_time(text)) return;
  JobResult r = run_job(text);
  FUZZ_REQUIRE(r.json.find('\n') == std::string::npos, text + " | " + r.json);
  if (r.exit_code == 0) {
    json j = json::parse(r.json, nullptr, false);
    FUZZ_REQUIRE(j.is_object() && !j.contains("error"), text + " | " + r.json);
    FUZZ_REQUIRE(!has_null(j), text + " | a number that is not finite: " + r.json);
    // Every lesson's result counts its operations (issues 2–4: "steps").
    FUZZ_REQUIRE(
        j.contains("steps") && j["steps"].is_number_integer() && j["steps"].get<long long>() >= 0,
        text + " | " + r.json);
  } else {
    check_error_object(r, text);
  }
  JobResult again = run_job(text);
  FUZZ_REQUIRE(again.exit_code == r.exit_code && again.json == r.json, text);

  JobResult py = python_for_job(text);
  if (py.exit_code == 0) {
    FUZZ_REQUIRE(py.json.find("import numpy") != std::string::npos, text + " | " + py.json);
  } else {
    check_error_object(py, text);
    // A job that runs has a Python program, unless its lesson offers none.
    if (r.exit_code == 0)
      FUZZ_REQUIRE(
          json::parse(py.json)["error"].get<std::string>().rfind("no Python export", 0) == 0,
          text + " | " + py.json);
  }
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  no_throw([&] { run(text); }, text);
  return 0;
}
