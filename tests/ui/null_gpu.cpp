// A GPU-free stand-in for engine/gpu: textures are just ids, drawing adds a
// plain image — enough for ImGui to build every view without a context.
#include "gpu_fields.h"

namespace sw {

ImTextureID field_upload(int slot, uint64_t, const float*, const uint8_t*, int, int) {
  return (ImTextureID)(intptr_t)(slot + 1);
}

void field_draw(ImDrawList* dl, ImTextureID tex, ImVec2 a, ImVec2 b, float, ImU32) {
  dl->AddImage(tex, a, b);
}

void field_new_frame() {}

void field_reset_gl() {}

}  // namespace sw
