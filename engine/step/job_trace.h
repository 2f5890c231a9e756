// Job helpers every lesson's JSON job shares: the trace records a job prints
// and the limit on how many it may print. Each lesson's own job handler
// (run, Python) is declared in its folder and listed in registry.cpp.
#pragma once
#include <cstdint>
#include <functional>
#include <string>

#include "json_io.h"

namespace sw {

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
