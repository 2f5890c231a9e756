#include "job_trace.h"

#include "trace.h"

namespace sw {

Json op_json(const Op& op, long long step) {
  Json reads = Json::array();
  for (const Operand& r : op.reads) {
    Json o{{"tensor", r.tensor}, {"index", r.index}, {"value", json_float((float)r.value)}};
    if (r.flat < 0) o["padding"] = true;
    reads.push_back(o);
  }
  return Json{{"step", step},
              {"kind", op.kind},
              {"target", {{"tensor", op.target.tensor}, {"index", op.target.index}}},
              {"reads", reads},
              {"value", json_float((float)op.value)},
              {"result", json_float((float)op.target.value)},
              {"formula", op.formula}};
}

bool job_trace(int64_t size, bool want, const std::function<Json(int64_t)>& record, Json& ops,
               std::string& err) {
  if (!want) return true;
  // Refused, not truncated: a cut trace would look like a finished one.
  if (size > kMaxJobTrace) {
    err = "the trace would have " + std::to_string(size) + " operations; at most " +
          std::to_string(kMaxJobTrace) + " can be printed (set \"trace\": false)";
    return false;
  }
  ops = Json::array();
  for (int64_t k = 0; k < size; ++k) ops.push_back(record(k));
  return true;
}

bool job_trace(const Trace& trace, bool want, Json& ops, std::string& err) {
  return job_trace(
      trace.size(), want, [&](int64_t k) { return op_json(trace.op(k), k + 1); }, ops, err);
}

}  // namespace sw
