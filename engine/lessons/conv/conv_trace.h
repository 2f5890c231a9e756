// ConvTrace: the convolution layer as a trace of atomic operations.
//
// Output cells are visited channel by channel, row by row. Within a cell the
// ops are: one multiply-add per (c, i, j) — padding cells included, they add
// 0·k — then the bias, then ReLU when enabled. Levels: multiply-add, output
// cell, output channel, whole layer.
#pragma once
#include <cstdint>
#include <vector>

#include "conv2d.h"
#include "trace.h"

namespace sw {

// Where an op sits in the layer; survives a rebuild with other parameters.
struct ConvCursor {
  int f = 0, y = 0, x = 0;  // output cell
  int term = 0;             // op within the cell: 0..C·KH·KW-1 products, then bias, then ReLU
};

// What the learner sees at a step.
struct ConvState {
  enum Cell : uint8_t { kPending = 0, kPartial = 1, kDone = 2 };
  Tensor out;                 // F×HO×WO; pending cells hold 0
  std::vector<uint8_t> cell;  // Cell status per output element
};

class ConvTrace : public Trace {
 public:
  explicit ConvTrace(ConvProblem p);  // p must pass conv_validate

  const ConvProblem& problem() const { return p_; }
  const ConvShape& shape() const { return p_.shape; }
  const Tensor& result() const { return full_; }  // the finished layer

  int64_t size() const override { return cells_ * per_cell_; }
  Op op(int64_t k) const override;
  int level_count() const override { return 4; }
  const char* level_name(int level) const override;

  int64_t ops_per_cell() const { return per_cell_; }
  ConvCursor cursor(int64_t k) const;           // the op k (k < size())
  int64_t op_index(const ConvCursor& c) const;  // -1 if the cursor does not exist here

  // The state after `step` ops, computed directly (not by replay).
  ConvState state_at(int64_t step) const;

  // Receptive-field coordinates of term t: input row/column (may be padding).
  void term_source(const ConvCursor& c, int* ch, int* iy, int* ix, int* ki, int* kj) const;

 protected:
  int64_t unit_size(int level) const override;

 private:
  ConvProblem p_;
  Tensor full_;
  int64_t cells_, per_cell_;
};

// Applies op to a state, as a learner would by hand: the replay used by tests
// to prove that op(0..k-1) applied in order give state_at(k).
void conv_apply(const Op& op, ConvState& state);
ConvState conv_initial_state(const ConvShape& s);

}  // namespace sw
