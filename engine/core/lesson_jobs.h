// The per-lesson JSON job handlers behind run_job() (job.h).
#pragma once
#include <cstdint>
#include <functional>
#include <string>

#include "conv2d.h"
#include "json_io.h"

namespace sw {

// {"lesson":"conv","input":{"shape":[C,H,W],"data":[…]},"kernel":{"shape":[F,C,KH,KW],…},
//  "bias":[…F],"stride":[sh,sw],"padding":[ph,pw],"dilation":[dh,dw],
//  "activation":"none"|"relu","trace":false}
// → {"output":{"shape":[F,HO,WO],"data":[…]},"steps":N[,"trace":[…]]}
bool conv_job(const Json& job, Json& out, std::string& err);
// The NumPy program recomputing a conv job (python_for_job in job.h).
bool conv_python(const Json& job, std::string& out, std::string& err);

// {"lesson":"svm","points":[[x,y],…],"labels":[1,-1,…],"C":1,"solver":"exact"|"sgd",…}
// → {"w":[…],"b":…,"objective":…,"margin":…,"support_vectors":[…],"steps":N} — see svm_job.cpp.
bool svm_job(const Json& job, Json& out, std::string& err);
bool svm_python(const Json& job, std::string& out, std::string& err);
struct SvmProblem;
struct SgdConfig;
bool svm_problem_from_job(const Json& job, SvmProblem& p, SgdConfig& c, std::string& solver,
                          bool* want_trace, std::string& err);
Json svm_job_of(const SvmProblem& p, const SgdConfig& c, const std::string& solver);
// {"lesson":"batchnorm",...} — see batchnorm_job.cpp and docs/batchnorm.md.
bool batchnorm_job(const Json& job, Json& out, std::string& err);
bool batchnorm_python(const Json& job, std::string& out, std::string& err);
struct BnProblem;
bool bn_problem_from_job(const Json& job, BnProblem& p, bool* want_trace, std::string& err);
Json bn_job_of(const BnProblem& p);

// Reads a conv job into a validated problem (shared by the job and the Python export).
bool conv_problem_from_job(const Json& job, ConvProblem& p, bool* want_trace, std::string& err);
// The job that reproduces a problem (the lesson's export; the CLI's input).
Json conv_job_of(const ConvProblem& p);

// Longest trace a job may ask to print (operations).
constexpr long long kMaxJobTrace = 250000;

// One trace record: {"step","kind","target","reads","value","result","formula"}.
struct Op;
Json op_json(const Op& op, long long step);

// The "trace" a job asked for (`want`): records record(0) … record(size − 1)
// into `ops`, or false with the message when there would be more than
// kMaxJobTrace. Call it before building the output, then add "trace": ops.
bool job_trace(int64_t size, bool want, const std::function<Json(int64_t)>& record, Json& ops,
               std::string& err);
// The same with op_json records of a Trace.
class Trace;
bool job_trace(const Trace& trace, bool want, Json& ops, std::string& err);

}  // namespace sw
