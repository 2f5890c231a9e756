// The SVM lesson's JSON job and its NumPy and PyTorch exports (docs/svm.md,
// docs/python-export.md).
//
// {"lesson":"svm","points":[[x,y],…],"labels":[1,-1,…],"C":1,"solver":"exact"|"sgd",…}
// → {"w":[…],"b":…,"objective":…,"margin":…,"support_vectors":[…],"steps":N} — see svm_job.cpp.
#pragma once
#include <string>

#include "job_trace.h"

namespace sw {

bool svm_job(const Json& job, Json& out, std::string& err);
bool svm_python(const Json& job, std::string& out, std::string& err);
// The PyTorch program (svm_torch.cpp): autograd subgradients, or the exact optimum.
bool svm_torch(const Json& job, std::string& out, std::string& err);
struct SvmProblem;
struct SgdConfig;
bool svm_problem_from_job(const Json& job, SvmProblem& p, SgdConfig& c, std::string& solver,
                          bool* want_trace, std::string& err);
Json svm_job_of(const SvmProblem& p, const SgdConfig& c, const std::string& solver);

}  // namespace sw
