// The SVM lesson's JSON job (see lesson_jobs.h for the contract):
//
//   {"lesson":"svm","points":[[x,y],…],"labels":[1,-1,…],"C":1.0,"solver":"exact"|"sgd",
//    "epochs":E,"seed":S,"trace":false,"schedule":"pegasos"|"decay"|"constant","eta":η}
//   → {"w":[w1,w2],"b":…,"objective":…,"margin":…,"support_vectors":[…],"steps":N[,"trace":[…]]}
//
// Defaults: C 1, solver "exact", epochs 10, seed 1, schedule "pegasos" (η_t = 1/(λt)),
// eta 0.1 (for "decay" and "constant"), trace false. "margin" is the band width 2/‖w‖ (null, with a
// "note", when w = 0); support vectors are the points with yᵢ(w·xᵢ + b) ≤ 1 + 10⁻⁵. "steps" counts
// SMO pair updates (exact) or trace operations (sgd). Trace records are op_json's plus "epoch",
// "sample" and "t" (sgd; vector ops add "vector": [g_w1, g_w2, g_b] or [w1, w2]) or "alpha": [αᵢ,
// αⱼ] (exact, one per pair update).
#include <cmath>

#include "format.h"
#include "svm_job.h"
#include "svm_smo.h"
#include "svm_trace.h"

namespace sw {

namespace {

bool read_points(const Json& job, SvmProblem& p, std::string& err) {
  const Json& pts = job["points"];
  const Json& lab = job["labels"];
  if (!pts.is_array()) return err = "points must be an array of [x, y] pairs", false;
  if (!lab.is_array()) return err = "labels must be an array of 1 and -1", false;
  const size_t limit = (size_t)SvmLimits::kMaxPoints;
  if (pts.size() > limit)
    return err = "points has " + std::to_string(pts.size()) + " entries; at most " +
                 std::to_string(limit) + " allowed",
           false;
  if (pts.size() != lab.size())
    return err = "points has " + std::to_string(pts.size()) + " entries but labels has " +
                 std::to_string(lab.size()),
           false;
  p.points.resize(pts.size());
  for (size_t i = 0; i < pts.size(); ++i) {
    const std::string name = "points[" + std::to_string(i) + "]";
    if (!pts[i].is_array() || pts[i].size() != 2)
      return err = name + " must be a pair [x, y]", false;
    if (!json_number(pts[i][0], name + "[0]", p.points[i].x1, err) ||
        !json_number(pts[i][1], name + "[1]", p.points[i].x2, err))
      return false;
    double y;
    const std::string lname = "labels[" + std::to_string(i) + "]";
    if (!json_number(lab[i], lname, y, err)) return false;
    if (y != 1 && y != -1)
      return err = lname + " must be 1 or -1 (got " + lab[i].dump() + ")", false;
    p.points[i].y = (int)y;
  }
  return true;
}

Json model_json(const SvmProblem& p, const SvmModel& m, long long steps) {
  Json out = {{"w", {m.w1, m.w2}},
              {"b", m.b},
              {"objective", svm_objective(p, m)},
              {"margin", nullptr},
              {"support_vectors", svm_support_vectors(p, m)},
              {"steps", steps}};
  if (m.norm() > 0)
    out["margin"] = m.margin_width();
  else
    out["note"] = "w = 0: no separating line; every point has the same score b";
  return out;
}

Json sgd_record(const SvmTrace& tr, int64_t k) {
  const SvmCursor c = tr.cursor(k);
  const Op op = tr.op(k);
  Json rec = op_json(op, k + 1);
  // Full precision for the values a replay needs (op_json rounds to float).
  rec["value"] = op.value;
  rec["result"] = op.target.value;
  rec["epoch"] = c.epoch;
  if (c.stage == kSvmObjective) return rec;
  const SgdSample q = tr.sample(tr.sample_of(c));
  rec["sample"] = q.index;
  rec["t"] = q.t;
  if (c.stage == kSvmSubgrad) rec["vector"] = {q.gw1, q.gw2, q.gb};
  if (c.stage == kSvmUpdateW) rec["vector"] = {q.after.w1, q.after.w2};
  return rec;
}

Json smo_record(const SmoIteration& it) {
  Op op;
  op.kind = "smo_pair";
  op.target = {"alpha", {it.i, it.j}, it.i, it.alpha_i};
  op.reads = {{"F_gap", {}, 0, it.violation}};
  op.value = it.t;
  op.formula = "α[" + std::to_string(it.i) + "] += y·t, α[" + std::to_string(it.j) +
               "] −= y·t, t = " + fmt_num(it.t, 4) + " → α[" + std::to_string(it.i) +
               "] = " + fmt_num(it.alpha_i, 4) + ", α[" + std::to_string(it.j) +
               "] = " + fmt_num(it.alpha_j, 4);
  Json rec = op_json(op, it.k);
  rec["alpha"] = {it.alpha_i, it.alpha_j};
  rec["value"] = it.t;
  rec["violation"] = it.violation;
  return rec;
}

}  // namespace

bool svm_problem_from_job(const Json& job, SvmProblem& p, SgdConfig& c, std::string& solver,
                          bool* want_trace, std::string& err) {
  if (!json_check_keys(job,
                       {"lesson", "points", "labels", "C", "solver", "epochs", "seed", "trace",
                        "schedule", "eta"},
                       err))
    return false;
  if (!job.contains("points") || !job.contains("labels"))
    return err = "an svm job needs \"points\" and \"labels\"", false;
  p = SvmProblem();
  if (!read_points(job, p, err)) return false;
  if (job.contains("C") && !json_number(job["C"], "C", p.C, err)) return false;
  solver = "exact";
  if (job.contains("solver") && !json_string(job["solver"], "solver", solver, err)) return false;
  if (solver != "exact" && solver != "sgd")
    return err = "solver must be \"exact\" or \"sgd\" (got \"" + solver + "\")", false;
  c = SgdConfig();
  long long v;
  if (job.contains("epochs")) {
    if (!json_int(job["epochs"], "epochs", 1, SgdLimits::kMaxEpochs, v, err)) return false;
    c.epochs = (int)v;
  }
  if (job.contains("seed")) {
    if (!json_int(job["seed"], "seed", 0, 1ll << 52, v, err)) return false;
    c.seed = (uint64_t)v;
  }
  if (job.contains("schedule")) {
    std::string s;
    if (!json_string(job["schedule"], "schedule", s, err)) return false;
    if (!sgd_parse_schedule(s, &c.schedule))
      return err = "schedule must be \"pegasos\", \"decay\" or \"constant\" (got \"" + s + "\")",
             false;
  }
  if (job.contains("eta") && !json_number(job["eta"], "eta", c.eta, err)) return false;
  *want_trace = false;
  if (job.contains("trace") && !json_bool(job["trace"], "trace", *want_trace, err)) return false;
  if (!(err = svm_validate(p)).empty()) return false;
  if (solver == "sgd" && !(err = sgd_validate(c, p.n(), p.lambda())).empty()) return false;
  return true;
}

Json svm_job_of(const SvmProblem& p, const SgdConfig& c, const std::string& solver) {
  Json pts = Json::array(), labels = Json::array();
  for (const SvmPoint& q : p.points) pts.push_back({q.x1, q.x2}), labels.push_back(q.y);
  return Json{{"lesson", "svm"},
              {"points", std::move(pts)},
              {"labels", std::move(labels)},
              {"C", p.C},
              {"solver", solver},
              {"epochs", c.epochs},
              {"seed", c.seed},
              {"schedule", sgd_schedule_name(c.schedule)},
              {"eta", c.eta}};
}

bool svm_job(const Json& job, Json& out, std::string& err) {
  SvmProblem p;
  SgdConfig c;
  std::string solver;
  bool want_trace;
  if (!svm_problem_from_job(job, p, c, solver, &want_trace, err)) return false;

  if (solver == "sgd") {
    SvmTrace tr(p, c);
    Json ops;
    auto record = [&](int64_t k) { return sgd_record(tr, k); };
    if (!job_trace(tr.size(), want_trace, record, ops, err)) return false;
    out = model_json(p, tr.final_model(), tr.size());
    if (want_trace) out["trace"] = std::move(ops);
    return true;
  }

  Json ops = Json::array();
  bool too_long = false;
  std::function<void(const SmoIteration&)> record;
  if (want_trace)
    record = [&](const SmoIteration& it) {
      if ((long long)ops.size() < kMaxJobTrace)
        ops.push_back(smo_record(it));
      else
        too_long = true;
    };
  const SmoResult r = svm_solve_exact(p, nullptr, {}, record);
  if (too_long)
    return err = "the solver took more than " + std::to_string(kMaxJobTrace) +
                 " pair updates; too many to print (set \"trace\": false)",
           false;
  out = model_json(p, r.model, r.iterations);
  if (!r.converged)
    out["warning"] = "the exact solver stopped after " + std::to_string(r.iterations) +
                     " pair updates with KKT violation " + fmt_num(r.violation, 8) + " > 1e-6";
  if (want_trace) out["trace"] = std::move(ops);
  return true;
}

}  // namespace sw
