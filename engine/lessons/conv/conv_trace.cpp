#include "conv_trace.h"

#include "format.h"
#include "kernels/conv2d_simd.h"

namespace sw {

ConvTrace::ConvTrace(ConvProblem p) : p_(std::move(p)) {
  // The SIMD kernel: every rebuild (a dragged value) recomputes the whole
  // layer. It is bit-identical to conv2d_forward — same per-cell order of
  // roundings — which the replay test (test_trace.cpp) relies on.
  full_ = fast::conv2d_forward(p_);
  cells_ = full_.size();
  per_cell_ = p_.shape.terms_per_cell() + 1 + (p_.shape.relu ? 1 : 0);
}

const char* ConvTrace::level_name(int level) const {
  static const char* kNames[] = {"multiply-add", "output cell", "output channel", "whole layer"};
  return kNames[level < 0 ? 0 : level > 3 ? 3 : level];
}

int64_t ConvTrace::unit_size(int level) const {
  const ConvShape& s = p_.shape;
  switch (level) {
    case 0:
      return 1;
    case 1:
      return per_cell_;
    case 2:
      return per_cell_ * s.out_h() * s.out_w();
    default:
      return size();
  }
}

ConvCursor ConvTrace::cursor(int64_t k) const {
  const int HO = p_.shape.out_h(), WO = p_.shape.out_w();
  int64_t cell = k / per_cell_;
  ConvCursor c;
  c.term = (int)(k % per_cell_);
  c.x = (int)(cell % WO);
  c.y = (int)(cell / WO % HO);
  c.f = (int)(cell / ((int64_t)WO * HO));
  return c;
}

int64_t ConvTrace::op_index(const ConvCursor& c) const {
  const int HO = p_.shape.out_h(), WO = p_.shape.out_w();
  if (c.f < 0 || c.f >= p_.shape.F || c.y < 0 || c.y >= HO || c.x < 0 || c.x >= WO || c.term < 0 ||
      c.term >= per_cell_)
    return -1;
  return (((int64_t)c.f * HO + c.y) * WO + c.x) * per_cell_ + c.term;
}

void ConvTrace::term_source(const ConvCursor& c, int* ch, int* iy, int* ix, int* ki,
                            int* kj) const {
  const ConvShape& s = p_.shape;
  int t = c.term;
  *kj = t % s.KW;
  *ki = t / s.KW % s.KH;
  *ch = t / (s.KW * s.KH);
  *iy = c.y * s.stride_h - s.pad_h + *ki * s.dil_h;
  *ix = c.x * s.stride_w - s.pad_w + *kj * s.dil_w;
}

// The partial sum of a cell after its first `terms` products (float, in trace order).
static float partial_sum(const ConvTrace& tr, ConvCursor c, int terms) {
  const ConvProblem& p = tr.problem();
  float acc = 0.f;
  for (c.term = 0; c.term < terms; ++c.term) {
    int ch, iy, ix, ki, kj;
    tr.term_source(c, &ch, &iy, &ix, &ki, &kj);
    bool inside = iy >= 0 && iy < p.shape.H && ix >= 0 && ix < p.shape.W;
    float v = inside ? p.input[p.input.at3(ch, iy, ix)] : 0.f;
    acc = acc + v * p.kernel[p.kernel.at4(c.f, ch, ki, kj)];
  }
  return acc;
}

Op ConvTrace::op(int64_t k) const {
  const ConvShape& s = p_.shape;
  ConvCursor c = cursor(k);
  Op op;
  op.target.tensor = "out";
  op.target.index = {c.f, c.y, c.x};
  op.target.flat = k / per_cell_;
  const std::string out_name = "out" + fmt_index(op.target.index);
  const std::string where = "Output " + std::to_string(c.f) + ", row " + std::to_string(c.y) +
                            ", column " + std::to_string(c.x) + ": ";
  const int64_t terms = s.terms_per_cell();

  if (c.term < terms) {
    int ch, iy, ix, ki, kj;
    term_source(c, &ch, &iy, &ix, &ki, &kj);
    bool inside = iy >= 0 && iy < s.H && ix >= 0 && ix < s.W;
    Operand in{"in",
               {ch, iy, ix},
               inside ? p_.input.at3(ch, iy, ix) : -1,
               inside ? p_.input[p_.input.at3(ch, iy, ix)] : 0.0};
    Operand kk{"k", {c.f, ch, ki, kj}, p_.kernel.at4(c.f, ch, ki, kj), 0};
    kk.value = p_.kernel[kk.flat];
    float before = partial_sum(*this, c, c.term);
    float product = (float)in.value * (float)kk.value;
    op.kind = "mac";
    op.value = product;
    op.target.value = before + product;
    op.reads = {in, kk};
    std::string in_text = inside ? fmt_factor(in.value) : "0 (padding)";
    op.formula = out_name + " += in" + fmt_index(in.index) + "·k" + fmt_index(kk.index) + " = " +
                 in_text + "·" + fmt_factor(kk.value) + " → " + fmt_num(op.target.value);
    op.words = where + "adding " + (inside ? fmt_num(in.value) : "padding 0") + " × " +
               fmt_num(kk.value) + "; running sum " + fmt_num(op.target.value);
  } else if (c.term == terms) {
    float sum = partial_sum(*this, c, (int)terms);
    Operand b{"b", {c.f}, c.f, p_.bias[c.f]};
    op.kind = "bias";
    op.value = b.value;
    op.target.value = sum + (float)b.value;
    op.reads = {b};
    op.formula = out_name + " += b[" + std::to_string(c.f) + "] = " + fmt_num(sum) + " + " +
                 fmt_factor(b.value) + " → " + fmt_num(op.target.value);
    op.words = where + "adding the bias " + fmt_num(b.value) + "; sum " + fmt_num(op.target.value);
  } else {
    float z = partial_sum(*this, c, (int)terms) + p_.bias[c.f];
    Operand pre{"out", {c.f, c.y, c.x}, op.target.flat, z};
    op.kind = "relu";
    op.value = z > 0.f ? z : 0.f;
    op.target.value = op.value;
    op.reads = {pre};
    op.formula = out_name + " = max(0, " + fmt_num(z) + ") → " + fmt_num(op.value);
    op.words = where + "ReLU of " + fmt_num(z) + " gives " + fmt_num(op.value);
  }
  return op;
}

ConvState conv_initial_state(const ConvShape& s) {
  ConvState st;
  st.out = Tensor({s.F, s.out_h(), s.out_w()});
  st.cell.assign(st.out.data.size(), ConvState::kPending);
  return st;
}

ConvState ConvTrace::state_at(int64_t step) const {
  ConvState st = conv_initial_state(p_.shape);
  if (step <= 0) return st;
  if (step >= size()) step = size();
  int64_t done = step / per_cell_;
  for (int64_t i = 0; i < done; ++i) {
    st.out[i] = full_[i];
    st.cell[i] = ConvState::kDone;
  }
  int64_t rest = step % per_cell_;
  if (rest > 0) {
    ConvCursor c = cursor(step - 1);
    const int64_t terms = p_.shape.terms_per_cell();
    float v = partial_sum(*this, c, (int)std::min<int64_t>(rest, terms));
    if (rest > terms) v = v + p_.bias[c.f];  // bias applied, ReLU (if any) not yet
    st.out[done] = v;
    st.cell[done] = ConvState::kPartial;
  }
  return st;
}

void conv_apply(const Op& op, ConvState& st) {
  const int64_t t = op.target.flat;
  float before = st.cell[t] == ConvState::kPending ? 0.f : st.out[t];
  float after;
  if (op.kind == "mac") {
    after = before + (float)op.reads[0].value * (float)op.reads[1].value;
  } else if (op.kind == "bias") {
    after = before + (float)op.reads[0].value;
  } else {  // relu
    after = before > 0.f ? before : 0.f;
  }
  st.out[t] = after;
  st.cell[t] = ConvState::kPartial;
}

}  // namespace sw
