#include "job_trace.h"

#include "trace.h"

namespace sw {

Json op_json(const Op& op, long long step) {
  // Built in place and moved, not from nested initializer lists: those copy
  // every member (the reads twice), and a printed trace has up to 250,000
  // records.
  Json reads = Json::array();
  for (const Operand& r : op.reads) {
    Json o = Json::object();
    o["tensor"] = r.tensor;
    o["index"] = r.index;
    o["value"] = json_float((float)r.value);
    if (r.flat < 0) o["padding"] = true;
    reads.push_back(std::move(o));
  }
  Json target = Json::object();
  target["tensor"] = op.target.tensor;
  target["index"] = op.target.index;
  Json rec = Json::object();
  rec["step"] = step;
  rec["kind"] = op.kind;
  rec["target"] = std::move(target);
  rec["reads"] = std::move(reads);
  rec["value"] = json_float((float)op.value);
  rec["result"] = json_float((float)op.target.value);
  rec["formula"] = op.formula;
  return rec;
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
