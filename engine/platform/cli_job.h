// `stepwise job <file.json | ->`: run one JSON job headless, print one JSON object.
#pragma once

namespace sw {
// argv[0] is the program, argv[1] "job", argv[2] the file or "-". Returns the exit code.
int cli_job_main(int argc, char** argv);
}  // namespace sw
