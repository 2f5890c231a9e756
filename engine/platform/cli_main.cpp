// stepwise-cli: the headless job runner, linking only engine/core.
//   stepwise-cli job <file.json | ->
#include <cstdio>
#include <cstring>

#include "cli_job.h"

int main(int argc, char** argv) {
  if (argc >= 2 && (std::strcmp(argv[1], "job") == 0 || std::strcmp(argv[1], "python") == 0)) return sw::cli_job_main(argc, argv);
  std::fprintf(stderr, "usage: %s job|python <file.json | ->\n", argv[0]);
  return 2;
}
