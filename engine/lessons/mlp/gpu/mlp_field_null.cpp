// The GPU-free stand-in for mlp_field_gl.cpp (UI smoke, soak, fuzzers): no
// texture, so the plane computes and draws its field on the CPU.
#include "mlp_field.h"

namespace sw {

ImTextureID mlp_field_texture(const MlpFieldSpec&, int) {
  return (ImTextureID)0;
}

}  // namespace sw
