// Headless jobs: one JSON object in, one JSON object out.
//
// `stepwise job file.json` and the tests call run_job(). Each lesson
// registers a handler under its public name ("conv", later "svm",
// "batchnorm"). Invalid jobs yield {"error": "..."} and a non-zero exit code;
// no input can throw past this function.
#pragma once
#include <string>

namespace sw {

struct JobResult {
  std::string json;  // one JSON object, no trailing newline
  int exit_code = 0;   // 0 ok, 1 invalid job
};

JobResult run_job(const std::string& text);

// `stepwise python <job>`: a self-contained NumPy program that recomputes the
// job's result and prints it as JSON (the PyTorch equivalent in a comment).
JobResult python_for_job(const std::string& text);

}  // namespace sw
