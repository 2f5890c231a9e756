// OpenGL implementation of gpu_fields.h: float textures coloured by
// shaders/field_frag.glsl, drawn inside ImGui's draw lists via callbacks.
#include <imgui.h>

#include <cstdio>
#include <deque>
#include <map>
#include <vector>

#include "gl.h"
#include "gl_program.h"
#include "gpu_fields.h"
#include "shader_sources.h"
#include "theme.h"

namespace sw {

namespace {

struct Slot {
  GLuint tex = 0;
  uint64_t version = ~0ull;
  int w = 0, h = 0;
};

struct DrawParams {
  float vmax;
  float pending[4];
  int dark;  // the dark theme's colour scale (colormap.glsl's Dark)
};

struct State {
  GLuint program = 0;
  GLint u_vmax = -1, u_pending = -1, u_field = -1, u_dark = -1;
  bool failed = false;
  std::map<int, Slot> slots;
  std::deque<DrawParams> frame_params;  // stable addresses until the next frame
  std::vector<float> upload;
} g;

bool ensure_program() {
  if (g.program || g.failed) return g.program != 0;
  g.program = gl_program(kShader_field_vert, kShader_field_frag);
  g.failed = g.program == 0;
  if (g.failed) return false;
  gl_uniform_locations(g.program, {{&g.u_vmax, "VMax"},
                                   {&g.u_pending, "PendingColor"},
                                   {&g.u_field, "Field"},
                                   {&g.u_dark, "Dark"}});
  return true;
}

// Runs inside ImGui's renderer, just before the field's image quad: switch to
// our program; the renderer's vertex buffer is bound, so point our attributes
// at ImDrawVert's layout. ImDrawCallback_ResetRenderState follows the quad.
void begin_field(const ImDrawList*, const ImDrawCmd* cmd) {
  const DrawParams* prm = static_cast<const DrawParams*>(cmd->UserCallbackData);
  gl_use_with_imgui_vertices(g.program);
  glUniform1f(g.u_vmax, prm->vmax);
  glUniform4fv(g.u_pending, 1, prm->pending);
  glUniform1i(g.u_field, 0);
  glUniform1i(g.u_dark, prm->dark);
}

}  // namespace

void field_new_frame() {
  g.frame_params.clear();
}

void field_reset_gl() {
  gl_context_restored();  // the lessons' programs (GlFieldProgram) are built again
  // The objects died with the old context; deleting them is pointless.
  g.program = 0;
  g.failed = false;
  g.slots.clear();
}

ImTextureID field_upload(int slot, uint64_t version, const float* values, const uint8_t* pending,
                         int w, int h) {
  if (!ensure_program()) return (ImTextureID)0;
  Slot& s = g.slots[slot];
  if (!s.tex) {
    glGenTextures(1, &s.tex);
    glBindTexture(GL_TEXTURE_2D, s.tex);
    // Float textures are not filterable in WebGL2: sample cells exactly.
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  }
  if (s.version != version || s.w != w || s.h != h) {
    g.upload.resize((size_t)w * h * 2);
    for (size_t i = 0; i < (size_t)w * h; ++i) {
      g.upload[2 * i] = values[i];
      g.upload[2 * i + 1] = pending && pending[i] == 0 ? 1.f : 0.f;
    }
    glBindTexture(GL_TEXTURE_2D, s.tex);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RG32F, w, h, 0, GL_RG, GL_FLOAT, g.upload.data());
    s.version = version, s.w = w, s.h = h;
  }
  return (ImTextureID)(intptr_t)s.tex;
}

void field_draw(ImDrawList* dl, ImTextureID tex, ImVec2 a, ImVec2 b, float vmax,
                ImU32 pending_color) {
  if (!tex) return;
  ImVec4 pc = ImGui::ColorConvertU32ToFloat4(pending_color);
  g.frame_params.push_back(
      {vmax > 0 ? vmax : 1.f, {pc.x, pc.y, pc.z, pc.w}, palette().dark ? 1 : 0});
  dl->AddCallback(begin_field, &g.frame_params.back());
  dl->AddImage(tex, a, b);
  dl->AddCallback(ImDrawCallback_ResetRenderState, nullptr);
}

}  // namespace sw
