// The batch-norm lesson's JSON job and its NumPy and PyTorch exports
// (docs/batchnorm.md, docs/python-export.md).
#pragma once
#include <string>

#include "job_trace.h"

namespace sw {

bool batchnorm_job(const Json& job, Json& out, std::string& err);
bool batchnorm_python(const Json& job, std::string& out, std::string& err);
// The PyTorch program (batchnorm_torch.cpp): nn.BatchNorm1d/2d, float64.
bool batchnorm_torch(const Json& job, std::string& out, std::string& err);
struct BnProblem;
bool bn_problem_from_job(const Json& job, BnProblem& p, bool* want_trace, std::string& err);
Json bn_job_of(const BnProblem& p);

}  // namespace sw
