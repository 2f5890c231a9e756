// mlp_act: the activations f(z) and their derivatives f′(z) given f(z), as
// templates over the lane type (double or f64x2, mlp_math.h), so the scalar
// act_f/act_df of mlp_net.h and the SIMD kernel (mlp_simd.cpp) are one
// definition and give the same bits. Softmax is not here: it needs the whole
// output row (both paths compute it with the same scalar loop).
#pragma once
#include "mlp_math.h"
#include "mlp_net.h"

namespace sw::mlpm {

template <class T>
inline T act_of(Act a, T z) {
  using V = Lanes<T>;
  switch (a) {
    case Act::kSigmoid:
      return sigmoid_of(z);
    case Act::kTanh:
      return tanh_of(z);
    case Act::kRelu:  // z > 0 ? z : 0 (NaN → 0, as the comparison is false)
      return V::select(less(V::splat(0.0), z), z, V::splat(0.0));
    case Act::kLeakyRelu:
      return V::select(less(V::splat(0.0), z), z, V::splat(0.01) * z);
    default:
      return z;
  }
}

template <class T>
inline T act_d_of(Act a, T z, T fz) {
  using V = Lanes<T>;
  switch (a) {
    case Act::kSigmoid:
      return fz * (V::splat(1.0) - fz);
    case Act::kTanh:
      return V::splat(1.0) - fz * fz;
    case Act::kRelu:  // relu′(0) = 0, as torch
      return V::select(less(V::splat(0.0), z), V::splat(1.0), V::splat(0.0));
    case Act::kLeakyRelu:
      return V::select(less(V::splat(0.0), z), V::splat(1.0), V::splat(0.01));
    default:
      return V::splat(1.0);
  }
}

}  // namespace sw::mlpm
