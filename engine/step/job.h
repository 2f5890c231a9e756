// Headless jobs: one JSON object in, one JSON object out.
//
// `stepwise job file.json` and the tests call run_job(). The job's "lesson"
// names an entry of the lesson registry (registry.h), whose handler runs it.
// Built with the registry (stepwise_lessons), not the step engine. Invalid jobs yield {"error":
// "..."} and a non-zero exit code; no input can throw past this function.
#pragma once
#include <string>

namespace sw {

// The most JSON values (numbers, strings, arrays, …) a job may hold; the
// largest valid job (two 2²²-element tensors) has about half as many. More
// are refused while the text is parsed, before they can fill memory.
constexpr size_t kMaxJobValues = 1u << 24;

struct JobResult {
  std::string json;   // one JSON object, no trailing newline
  int exit_code = 0;  // 0 ok, 1 invalid job
};

JobResult run_job(const std::string& text);

// `stepwise python [--framework numpy|torch] <job>`: a self-contained program
// that recomputes the job's result and prints the same JSON as the job: NumPy
// by default (the PyTorch equivalent in a comment), or PyTorch ("torch"; an
// error naming the lesson when it has no PyTorch export yet).
JobResult python_for_job(const std::string& text, const std::string& framework = "numpy");

}  // namespace sw
