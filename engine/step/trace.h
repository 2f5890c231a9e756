// Trace: a lesson as a sequence of atomic operations.
//
// Every lesson (convolution, SVM, batch norm) builds a Trace from its
// parameters and data. Operation k is computed on demand by op(k) — a layer
// of a million multiply-adds costs no memory — and records what it reads,
// what it writes, the value it produces and the formula with live numbers.
//
// Steps count applied operations: at step s, ops 0..s-1 have been applied,
// so step 0 is the initial state and step size() the finished computation.
// Granularity levels group ops into coarser units (one output cell, one
// channel, ...); a level's boundaries are the steps where a unit completes.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace sw {

// One element an operation reads or writes.
struct Operand {
  std::string tensor;      // short name as in the formula: "in", "k", "b", "out"
  std::vector<int> index;  // multi-index into that tensor
  int64_t flat = -1;       // flat offset into the stored tensor, -1 for padding
  double value = 0;        // the element's value (for the target: after the op)
};

struct Op {
  std::string kind;  // lesson-specific: "mac", "bias", "relu", ...
  Operand target;    // the element written; target.value is its value after the op
  std::vector<Operand> reads;
  double value = 0;     // the value this op produces (e.g. a product)
  std::string formula;  // "out[0,1,2] += in[0,2,3]·k[0,0,1,1] = 0.50·(−1.00) → 1.75"
  std::string words;    // the same in plain language, for captions and screen readers
};

class Trace {
 public:
  virtual ~Trace() = default;

  virtual int64_t size() const = 0;    // number of atomic operations
  virtual Op op(int64_t k) const = 0;  // 0 <= k < size()
  // op(k) computed again, past any memo the trace keeps of the ops it was
  // asked for: what the fuzz targets compare op(k) with ("the same every
  // time", which a memo would answer from itself).
  virtual Op op_uncached(int64_t k) const { return op(k); }

  virtual int level_count() const = 0;
  virtual const char* level_name(int level) const = 0;

  // Smallest boundary of `level` strictly after `step` (size() at most), and
  // the largest strictly before it (0 at least).
  virtual int64_t next_boundary(int64_t step, int level) const;
  virtual int64_t prev_boundary(int64_t step, int level) const;

 protected:
  // Regular traces: a unit of `level` is this many ops. Irregular traces
  // override the boundary functions instead.
  virtual int64_t unit_size(int level) const { return level == 0 ? 1 : size(); }
};

}  // namespace sw
