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

// The arguments after "job"/"python": the file, and for python --framework.
// False on anything else (a usage error).
static bool parse_args(int argc, char** argv, bool python, const char** file,
                       std::string* framework) {
  *file = nullptr;
  *framework = "numpy";
  bool framework_given = false;
  for (int i = 2; i < argc; ++i) {
    const char* a = argv[i];
    if (python && !framework_given && std::strncmp(a, "--framework=", 12) == 0) {
      *framework = a + 12, framework_given = true;
    } else if (python && !framework_given && std::strcmp(a, "--framework") == 0 && i + 1 < argc) {
      *framework = argv[++i], framework_given = true;
    } else if (!*file && (std::strcmp(a, "-") == 0 || std::strncmp(a, "--", 2) != 0)) {
      *file = a;
    } else {
      return false;
    }
  }
  return *file != nullptr;
}

int cli_job_main(int argc, char** argv) {
  const bool python = std::strcmp(argv[1], "python") == 0;
  const char* file;
  std::string framework;
  if (!parse_args(argc, argv, python, &file, &framework))
    return fail(python ? "usage: stepwise python [--framework numpy|torch] <file.json | ->"
                       : "usage: stepwise job <file.json | ->",
                2);
  if (framework != "numpy" && framework != "torch")
    return fail("unknown framework: --framework takes numpy or torch", 2);
  const bool from_stdin = std::strcmp(file, "-") == 0;
  FILE* f = from_stdin ? stdin : std::fopen(file, "rb");
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
  JobResult r = python ? python_for_job(text, framework) : run_job(text);
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
