// GPU-drawn value fields: large maps go to a float texture and are coloured
// by shaders/field_frag.glsl instead of one ImGui rectangle per cell.
//
// Declared here for the views; implemented by engine/gpu (OpenGL/WebGL2),
// and by a null backend in the GPU-free UI smoke test.
#pragma once
#include <imgui.h>
#include <cstdint>

namespace sw {

// Uploads w×h values (row-major) into texture `slot`, re-uploading only when
// `version` differs from the last upload. `pending` (may be null) marks cells
// not computed yet; they are drawn in the pending colour.
ImTextureID field_upload(int slot, uint64_t version, const float* values, const uint8_t* pending,
                         int w, int h);

// Draws the texture over [a, b] with the diverging colour scale ±vmax.
void field_draw(ImDrawList* dl, ImTextureID tex, ImVec2 a, ImVec2 b, float vmax,
                ImU32 pending_color);

// Called once per frame before building the UI (frees per-frame draw data).
void field_new_frame();

// Forgets every GL object (programs, textures) after the context was lost;
// they are created again on first use in the restored context.
void field_reset_gl();

}  // namespace sw
