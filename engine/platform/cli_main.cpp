// stepwise-cli: the headless commands (cli_job.h), linking only the step
// engine and the lesson cores — no window system, no ImGui.
//   stepwise-cli job <file.json | ->      stepwise-cli lessons [--json]
#include <cstdio>

#include "cli_job.h"

int main(int argc, char** argv) {
  const int code = sw::cli_main(argc, argv);
  if (code >= 0) return code;
  std::fprintf(stderr, "usage: %s %s\n", argv[0], sw::kCliUsage);
  return 2;
}
