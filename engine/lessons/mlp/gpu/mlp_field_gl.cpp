// OpenGL implementation of mlp_field_texture (mlp_field.h): the parameters go
// into a float texture, one triangle over a side×side framebuffer runs
// shaders/mlp_field_frag.glsl once per cell, and the colour texture it fills
// is what the plane draws. Called while the UI is built (not inside ImGui's
// renderer): ImGui's backend sets every state it draws with afterwards, and
// the frame's clear needs the default framebuffer with no scissor test, which
// is how this leaves them.
#include <imgui.h>

#include <algorithm>

#include "gl.h"
#include "gl_program.h"
#include "mlp_field.h"
#include "shader_sources.h"
#include "theme.h"

namespace sw {

namespace {

constexpr int kParamsPerRow = 64;  // mlp_field_frag.glsl's param()

struct State {
  GlFieldProgram prog;
  GLint u_params = -1, u_layers = -1, u_sizes = -1, u_acts = -1, u_lo = -1, u_hi = -1, u_shift = -1,
        u_scale = -1, u_output = -1, u_threshold = -1, u_vmax = -1, u_dark = -1;
  GLuint params_tex = 0, color_tex = 0, fbo = 0, vao = 0;
  int side = 0;
  int param_rows = 0;  // rows of params_tex's storage (0: none yet)
  uint64_t key = 0;
  bool drawn = false;
  std::vector<float> upload;
} g;

// The GL objects of a context that was lost are gone with it: start afresh.
void forget_objects() {
  g.params_tex = g.color_tex = g.fbo = g.vao = 0;
  g.side = g.param_rows = 0;
  g.drawn = false;
}

bool ensure_program() {
  bool fresh;
  if (!g.prog.ensure(kShader_grid_vert, kShader_mlp_field_frag, &fresh)) return false;
  if (!fresh) return true;
  forget_objects();
  const GLuint p = g.prog.program;
  gl_uniform_locations(p, {{&g.u_params, "Params"},
                           {&g.u_layers, "Layers"},
                           {&g.u_sizes, "Sizes"},
                           {&g.u_acts, "Acts"},
                           {&g.u_lo, "Lo"},
                           {&g.u_hi, "Hi"},
                           {&g.u_shift, "Shift"},
                           {&g.u_scale, "Scale"},
                           {&g.u_output, "Output"},
                           {&g.u_threshold, "Threshold"},
                           {&g.u_vmax, "VMax"},
                           {&g.u_dark, "Dark"}});
  return true;
}

GLuint new_texture(GLint filter) {
  GLuint t = 0;
  glGenTextures(1, &t);
  glBindTexture(GL_TEXTURE_2D, t);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, filter);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, filter);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  return t;
}

// The colour target: side×side RGBA8 (always renderable, filterable: drawn
// scaled with linear filtering), and its framebuffer.
bool ensure_target(int side) {
  if (!g.vao) glGenVertexArrays(1, &g.vao);  // core profiles draw only with a VAO bound
  if (!g.params_tex) g.params_tex = new_texture(GL_NEAREST);  // floats are not filterable
  if (g.color_tex && g.side == side) return true;
  if (!g.color_tex) g.color_tex = new_texture(GL_LINEAR);
  g.drawn = false;
  glBindTexture(GL_TEXTURE_2D, g.color_tex);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, side, side, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
  if (!g.fbo) glGenFramebuffers(1, &g.fbo);
  glBindFramebuffer(GL_FRAMEBUFFER, g.fbo);
  glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, g.color_tex, 0);
  const bool ok = glCheckFramebufferStatus(GL_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE;
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  g.side = ok ? side : 0;
  return ok;
}

void upload_params(const std::vector<float>& theta) {
  const int rows = std::max<int>(1, (int)((theta.size() + kParamsPerRow - 1) / kParamsPerRow));
  g.upload.assign((size_t)rows * kParamsPerRow, 0.f);
  std::copy(theta.begin(), theta.end(), g.upload.begin());
  glBindTexture(GL_TEXTURE_2D, g.params_tex);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  // Live training uploads new parameters in every frame: into the texture
  // already there while the network's size is unchanged (no reallocation).
  if (rows == g.param_rows) {
    glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, kParamsPerRow, rows, GL_RED, GL_FLOAT, g.upload.data());
    return;
  }
  glTexImage2D(GL_TEXTURE_2D, 0, GL_R32F, kParamsPerRow, rows, 0, GL_RED, GL_FLOAT,
               g.upload.data());
  g.param_rows = rows;
}

void render(const MlpFieldSpec& s, int side) {
  upload_params(s.theta);
  int sizes[10] = {0}, acts[9] = {0};
  const int layers = std::min<int>(9, (int)s.acts.size());
  for (int l = 0; l <= layers && l < (int)s.sizes.size(); ++l) sizes[l] = s.sizes[l];
  for (int l = 0; l < layers; ++l) acts[l] = s.acts[l];
  glBindFramebuffer(GL_FRAMEBUFFER, g.fbo);
  glViewport(0, 0, side, side);
  glDisable(GL_SCISSOR_TEST);
  glDisable(GL_BLEND);
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_CULL_FACE);
  glUseProgram(g.prog.program);
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_2D, g.params_tex);
  glUniform1i(g.u_params, 0);
  glUniform1i(g.u_layers, layers);
  glUniform1iv(g.u_sizes, 10, sizes);
  glUniform1iv(g.u_acts, 9, acts);
  // The window relative to its centre, as the SVM's field: float precision is
  // spent where the window is (Shift then includes the centre).
  const double c[2] = {0.5 * (s.lo[0] + s.hi[0]), 0.5 * (s.lo[1] + s.hi[1])};
  glUniform2f(g.u_lo, (float)(s.lo[0] - c[0]), (float)(s.lo[1] - c[1]));
  glUniform2f(g.u_hi, (float)(s.hi[0] - c[0]), (float)(s.hi[1] - c[1]));
  glUniform2f(g.u_shift, (float)(s.shift[0] - c[0]), (float)(s.shift[1] - c[1]));
  glUniform2f(g.u_scale, s.scale[0], s.scale[1]);
  glUniform1i(g.u_output, s.output);
  glUniform1f(g.u_threshold, s.threshold);
  glUniform1f(g.u_vmax, s.vmax > 0 ? s.vmax : 1.f);
  glUniform1i(g.u_dark, palette().dark ? 1 : 0);
  glBindVertexArray(g.vao);
  glDrawArrays(GL_TRIANGLES, 0, 3);
  glBindVertexArray(0);
  glUseProgram(0);
  glBindTexture(GL_TEXTURE_2D, 0);
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
}

}  // namespace

ImTextureID mlp_field_texture(const MlpFieldSpec& s, int side) {
  if (s.sizes.size() < 2 || s.sizes[0] != 2 || s.acts.size() + 1 != s.sizes.size()) return 0;
  if (!ensure_program() || !ensure_target(side)) return 0;
  // The theme is part of the picture (colormap.glsl's Dark).
  const uint64_t key = s.key ^ (palette().dark ? 0x9E3779B97F4A7C15ull : 0);
  if (!g.drawn || key != g.key) {
    render(s, side);
    g.key = key;
    g.drawn = true;
  }
  return (ImTextureID)(intptr_t)g.color_tex;
}

}  // namespace sw
