// The convolution lesson's JSON job (run_job, `stepwise job`) and its NumPy
// and PyTorch exports (`stepwise python [--framework torch]`).
//
// {"lesson":"conv","input":{"shape":[C,H,W],"data":[…]},"kernel":{"shape":[F,C,KH,KW],…},
//  "bias":[…F],"stride":[sh,sw],"padding":[ph,pw],"dilation":[dh,dw],
//  "activation":"none"|"relu","trace":false}
// → {"output":{"shape":[F,HO,WO],"data":[…]},"steps":N[,"trace":[…]]}
#pragma once
#include <string>

#include "conv2d.h"
#include "job_trace.h"

namespace sw {

bool conv_job(const Json& job, Json& out, std::string& err);
// The NumPy program recomputing a conv job (python_for_job in job.h).
bool conv_python(const Json& job, std::string& out, std::string& err);
// The PyTorch program for the same job (conv_torch.cpp): conv2d in float64.
bool conv_torch(const Json& job, std::string& out, std::string& err);
// Reads a conv job into a validated problem (shared by the job and the Python export).
bool conv_problem_from_job(const Json& job, ConvProblem& p, bool* want_trace, std::string& err);
// The job that reproduces a problem (the lesson's export; the CLI's input).
Json conv_job_of(const ConvProblem& p);

}  // namespace sw
