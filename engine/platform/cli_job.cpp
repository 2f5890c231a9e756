#include "cli_job.h"

#include <cstdio>
#include <cstring>
#include <string>

#include "job.h"
#include "registry.h"

namespace sw {

// Jobs larger than this are refused before parsing (the largest valid job,
// a 2²²-element input and kernel, is well below it).
static constexpr size_t kMaxJobBytes = 256u << 20;

static int fail(const char* msg, int code) {
  std::printf("{\"error\":\"%s\"}\n", msg);
  return code;
}

int cli_job_main(int argc, char** argv) {
  if (argc != 3) return fail("usage: stepwise job|python <file.json | ->", 2);
  const bool python = std::strcmp(argv[1], "python") == 0;
  const bool from_stdin = std::strcmp(argv[2], "-") == 0;
  FILE* f = from_stdin ? stdin : std::fopen(argv[2], "rb");
  if (!f) return fail("cannot open the job file", 2);
  std::string text;
  char buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) {
    text.append(buf, n);
    if (text.size() > kMaxJobBytes) {
      if (!from_stdin) std::fclose(f);
      return fail("the job is larger than 256 MB", 1);
    }
  }
  if (!from_stdin) std::fclose(f);
  JobResult r = python ? python_for_job(text) : run_job(text);
  std::fwrite(r.json.data(), 1, r.json.size(), stdout);
  std::fputc('\n', stdout);
  return r.exit_code;
}

static int lessons_main(int argc, char** argv) {
  const bool json = argc == 3 && std::strcmp(argv[2], "--json") == 0;
  if (argc > 3 || (argc == 3 && !json)) return fail("usage: stepwise lessons [--json]", 2);
  if (json) {
    std::printf("%s\n", lessons_json().dump().c_str());
    return 0;
  }
  for (const LessonInfo& l : lesson_registry())
    std::printf("%-10s %s: %s\n", l.name, l.title, l.description);
  return 0;
}

int cli_main(int argc, char** argv) {
  if (argc < 2) return -1;
  if (std::strcmp(argv[1], "job") == 0 || std::strcmp(argv[1], "python") == 0)
    return cli_job_main(argc, argv);
  if (std::strcmp(argv[1], "lessons") == 0) return lessons_main(argc, argv);
  return -1;
}

}  // namespace sw
