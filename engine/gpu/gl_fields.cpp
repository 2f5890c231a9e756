// OpenGL implementation of gpu_fields.h: float textures coloured by
// shaders/field_frag.glsl, drawn inside ImGui's draw lists via callbacks.
#include <imgui.h>

#include <cstdio>
#include <deque>
#include <map>
#include <vector>

#include "gl.h"
#include "gpu_fields.h"
#include "shader_sources.h"

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
};

struct State {
  GLuint program = 0;
  GLint u_proj = -1, u_vmax = -1, u_pending = -1, u_field = -1;
  GLint a_pos = -1, a_uv = -1, a_col = -1;
  bool failed = false;
  std::map<int, Slot> slots;
  std::deque<DrawParams> frame_params;  // stable addresses until the next frame
  std::vector<float> upload;
} g;

GLuint compile(GLenum type, const char* body) {
  GLuint sh = glCreateShader(type);
  const char* parts[] = {STEPWISE_GLSL_HEADER, body};
  glShaderSource(sh, 2, parts, nullptr);
  glCompileShader(sh);
  GLint ok = 0;
  glGetShaderiv(sh, GL_COMPILE_STATUS, &ok);
  if (!ok) {
    char log[1024];
    glGetShaderInfoLog(sh, sizeof log, nullptr, log);
    std::fprintf(stderr, "stepwise: shader compile failed: %s\n", log);
  }
  return sh;
}

bool ensure_program() {
  if (g.program || g.failed) return g.program != 0;
  GLuint vs = compile(GL_VERTEX_SHADER, kShader_field_vert);
  GLuint fs = compile(GL_FRAGMENT_SHADER, kShader_field_frag);
  GLuint prog = glCreateProgram();
  glAttachShader(prog, vs);
  glAttachShader(prog, fs);
  glLinkProgram(prog);
  glDeleteShader(vs);
  glDeleteShader(fs);
  GLint ok = 0;
  glGetProgramiv(prog, GL_LINK_STATUS, &ok);
  if (!ok) {
    std::fprintf(stderr, "stepwise: field shader did not link\n");
    glDeleteProgram(prog);
    g.failed = true;
    return false;
  }
  g.program = prog;
  g.u_proj = glGetUniformLocation(prog, "ProjMtx");
  g.u_vmax = glGetUniformLocation(prog, "VMax");
  g.u_pending = glGetUniformLocation(prog, "PendingColor");
  g.u_field = glGetUniformLocation(prog, "Field");
  g.a_pos = glGetAttribLocation(prog, "Position");
  g.a_uv = glGetAttribLocation(prog, "UV");
  g.a_col = glGetAttribLocation(prog, "Color");
  return true;
}

// Runs inside ImGui's renderer, just before the field's image quad: switch to
// our program; the backend's vertex buffer is bound, so point our attributes
// at ImDrawVert's layout. ImDrawCallback_ResetRenderState follows the quad.
void begin_field(const ImDrawList*, const ImDrawCmd* cmd) {
  const DrawParams* prm = static_cast<const DrawParams*>(cmd->UserCallbackData);
  const ImDrawData* dd = ImGui::GetDrawData();
  float L = dd->DisplayPos.x, R = L + dd->DisplaySize.x;
  float T = dd->DisplayPos.y, B = T + dd->DisplaySize.y;
  const float ortho[16] = {2 / (R - L), 0, 0, 0, 0, 2 / (T - B), 0, 0, 0, 0, -1, 0,
                           (R + L) / (L - R), (T + B) / (B - T), 0, 1};
  glUseProgram(g.program);
  glUniformMatrix4fv(g.u_proj, 1, GL_FALSE, ortho);
  glUniform1f(g.u_vmax, prm->vmax);
  glUniform4fv(g.u_pending, 1, prm->pending);
  glUniform1i(g.u_field, 0);
  const GLsizei stride = sizeof(ImDrawVert);
  glEnableVertexAttribArray(g.a_pos);
  glEnableVertexAttribArray(g.a_uv);
  glEnableVertexAttribArray(g.a_col);
  glVertexAttribPointer(g.a_pos, 2, GL_FLOAT, GL_FALSE, stride, (void*)IM_OFFSETOF(ImDrawVert, pos));
  glVertexAttribPointer(g.a_uv, 2, GL_FLOAT, GL_FALSE, stride, (void*)IM_OFFSETOF(ImDrawVert, uv));
  glVertexAttribPointer(g.a_col, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride, (void*)IM_OFFSETOF(ImDrawVert, col));
}

}  // namespace

void field_new_frame() { g.frame_params.clear(); }

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

void field_draw(ImDrawList* dl, ImTextureID tex, ImVec2 a, ImVec2 b, float vmax, ImU32 pending_color) {
  if (!tex) return;
  ImVec4 pc = ImGui::ColorConvertU32ToFloat4(pending_color);
  g.frame_params.push_back({vmax > 0 ? vmax : 1.f, {pc.x, pc.y, pc.z, pc.w}});
  dl->AddCallback(begin_field, &g.frame_params.back());
  dl->AddImage(tex, a, b);
  dl->AddCallback(ImDrawCallback_ResetRenderState, nullptr);
}

}  // namespace sw
