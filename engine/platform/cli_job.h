// The headless commands shared by `stepwise` and `stepwise-cli`:
//   job <file.json | ->      run one JSON job, print one JSON object
//   python [--framework numpy|torch] <file.json | ->
//                            print the Python program recomputing the job: NumPy
//                            (default) or PyTorch; the flag may also follow the file
//   lessons [--json]         list the registered lessons (name, title, description)
#pragma once

namespace sw {
// argv[0] is the program, argv[1] "job" or "python", then the file or "-" (and
// for "python" optionally --framework NAME or --framework=NAME). Returns the exit code.
int cli_job_main(int argc, char** argv);
// Runs argv[1] if it is one of the commands above and returns its exit code;
// -1 when argv[1] is not a command (the desktop app then opens its window).
int cli_main(int argc, char** argv);
constexpr const char* kCliUsage =
    "job <file.json | ->  or  python [--framework numpy|torch] <file.json | ->  or  lessons "
    "[--json]";
}  // namespace sw
