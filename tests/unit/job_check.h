// Test helpers for JSON jobs, run through run_job() exactly as the CLI runs them.
#pragma once
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "job.h"

namespace sw::test {

// Runs a job, checks its exit code (0 ok, 1 invalid), returns what it printed.
inline nlohmann::json run(const nlohmann::json& job, int expect_exit = 0) {
  JobResult r = run_job(job.dump());
  INFO(r.json);
  CHECK(r.exit_code == expect_exit);
  return nlohmann::json::parse(r.json);
}

// The message of an invalid job: exit 1 and {"error": "…"}, nothing else.
inline std::string error_of(const std::string& text) {
  JobResult r = run_job(text);
  CHECK(r.exit_code == 1);
  nlohmann::json j = nlohmann::json::parse(r.json);
  REQUIRE(j.contains("error"));
  CHECK(j.size() == 1);
  return j["error"].get<std::string>();
}

}  // namespace sw::test
