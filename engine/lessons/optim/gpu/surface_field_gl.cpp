// OpenGL implementation of surface_field_draw (surface_field.h): one quad
// whose UVs are data coordinates; shaders/surface_frag.glsl evaluates the
// surface per fragment, so contours are exact at every pixel and cost no
// texture upload when a hyperparameter or the data change.
#include <imgui.h>

#include <deque>

#include "gl.h"
#include "gl_program.h"
#include "shader_sources.h"
#include "surface_field.h"

namespace sw {

namespace {

struct State {
  GlFieldProgram prog;
  GLint u_kind = -1, u_p = -1, u_q = -1, u_fmin = -1, u_floor = -1, u_lo = -1, u_hi = -1,
        u_step = -1, u_line = -1, u_lines_only = -1;
  std::deque<SurfaceFieldStyle> params;  // stable addresses until the frame is drawn
  int frame = -1;
} g;

bool ensure_program() {
  bool fresh;
  if (!g.prog.ensure(kShader_field_vert, kShader_surface_frag, &fresh)) return false;
  if (!fresh) return true;
  const GLuint p = g.prog.program;
  gl_uniform_locations(p, {{&g.u_kind, "Kind"},
                           {&g.u_p, "P"},
                           {&g.u_q, "Q"},
                           {&g.u_fmin, "FMin"},
                           {&g.u_floor, "Floor"},
                           {&g.u_lo, "LogLo"},
                           {&g.u_hi, "LogHi"},
                           {&g.u_step, "LevelStep"},
                           {&g.u_line, "LineColor"},
                           {&g.u_lines_only, "LinesOnly"}});
  return true;
}

void begin_surface(const ImDrawList*, const ImDrawCmd* cmd) {
  const SurfaceFieldStyle* s = static_cast<const SurfaceFieldStyle*>(cmd->UserCallbackData);
  gl_use_with_imgui_vertices(g.prog.program);
  glUniform1i(g.u_kind, s->kind);
  glUniform4f(g.u_p, s->p[0], s->p[1], s->p[2], s->p[3]);
  glUniform4f(g.u_q, s->q[0], s->q[1], s->q[2], s->q[3]);
  glUniform1f(g.u_fmin, s->fmin);
  glUniform1f(g.u_floor, s->floor);
  glUniform1f(g.u_lo, s->log_lo);
  glUniform1f(g.u_hi, s->log_hi);
  glUniform1f(g.u_step, s->level_step);
  const ImVec4 line = ImGui::ColorConvertU32ToFloat4(s->line);
  glUniform3f(g.u_line, line.x, line.y, line.z);
  glUniform1i(g.u_lines_only, s->lines_only ? 1 : 0);
}

}  // namespace

void surface_field_draw(ImDrawList* dl, ImVec2 a, ImVec2 b, double lo_x, double lo_y, double hi_x,
                        double hi_y, const SurfaceFieldStyle& style) {
  if (!ensure_program()) {
    dl->AddRectFilled(a, b, IM_COL32(40, 50, 90, 255));  // still a picture without the shader
    return;
  }
  if (g.frame != ImGui::GetFrameCount()) g.params.clear(), g.frame = ImGui::GetFrameCount();
  g.params.push_back(style);
  dl->AddCallback(begin_surface, &g.params.back());
  // Top-left is (lo_x, hi_y): y grows upwards on screen.
  dl->AddImage(ImGui::GetIO().Fonts->TexID, a, b, ImVec2((float)lo_x, (float)hi_y),
               ImVec2((float)hi_x, (float)lo_y));
  dl->AddCallback(ImDrawCallback_ResetRenderState, nullptr);
}

}  // namespace sw
