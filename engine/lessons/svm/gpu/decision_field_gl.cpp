// OpenGL implementation of decision_field_draw (gpu_fields.h): one quad whose
// UVs are data coordinates; shaders/decision_frag.glsl evaluates w·x + b per
// fragment, so the field is exact at every pixel and costs no texture.
#include <imgui.h>

#include <deque>

#include "decision_field.h"
#include "gl.h"
#include "gl_program.h"
#include "shader_sources.h"
#include "theme.h"

namespace sw {

namespace {

struct Params {
  float w[2], b, vmax, strength, background[3];
  int dark;  // colormap.glsl's Dark
};

struct State {
  GlFieldProgram prog;
  GLint u_w = -1, u_b = -1, u_vmax = -1, u_strength = -1, u_background = -1, u_dark = -1;
  std::deque<Params> params;  // stable addresses until the frame is drawn
  int frame = -1;
} g;

bool ensure_program() {
  bool fresh;
  if (!g.prog.ensure(kShader_field_vert, kShader_decision_frag, &fresh)) return false;
  if (!fresh) return true;
  const GLuint p = g.prog.program;
  gl_uniform_locations(p, {{&g.u_w, "W"},
                           {&g.u_b, "B"},
                           {&g.u_vmax, "VMax"},
                           {&g.u_strength, "Strength"},
                           {&g.u_background, "Background"},
                           {&g.u_dark, "Dark"}});
  return true;
}

void begin_decision(const ImDrawList*, const ImDrawCmd* cmd) {
  const Params* p = static_cast<const Params*>(cmd->UserCallbackData);
  gl_use_with_imgui_vertices(g.prog.program);
  glUniform2f(g.u_w, p->w[0], p->w[1]);
  glUniform1f(g.u_b, p->b);
  glUniform1f(g.u_vmax, p->vmax);
  glUniform1f(g.u_strength, p->strength);
  glUniform3f(g.u_background, p->background[0], p->background[1], p->background[2]);
  glUniform1i(g.u_dark, p->dark);
}

}  // namespace

void decision_field_draw(ImDrawList* dl, ImVec2 a, ImVec2 b, double lo1, double lo2, double hi1,
                         double hi2, double w1, double w2, double bias, float vmax, float strength,
                         ImU32 background) {
  if (!ensure_program()) {
    dl->AddRectFilled(a, b, background);  // still a picture without the shader
    return;
  }
  // The previous frame has been drawn by now: its parameters can go.
  if (g.frame != ImGui::GetFrameCount()) g.params.clear(), g.frame = ImGui::GetFrameCount();
  // f = w·x + b = w·(x − c) + (b + w·c): UVs relative to the centre c.
  const double c1 = 0.5 * (lo1 + hi1), c2 = 0.5 * (lo2 + hi2);
  const ImVec4 bg = ImGui::ColorConvertU32ToFloat4(background);
  g.params.push_back({{(float)w1, (float)w2},
                      (float)(bias + w1 * c1 + w2 * c2),
                      vmax > 0 ? vmax : 1.f,
                      strength,
                      {bg.x, bg.y, bg.z},
                      palette().dark ? 1 : 0});
  dl->AddCallback(begin_decision, &g.params.back());
  // Top-left is (lo1, hi2): x₂ grows upwards on screen.
  dl->AddImage(ImGui::GetIO().Fonts->TexID, a, b, ImVec2((float)(lo1 - c1), (float)(hi2 - c2)),
               ImVec2((float)(hi1 - c1), (float)(lo2 - c2)));
  dl->AddCallback(ImDrawCallback_ResetRenderState, nullptr);
}

}  // namespace sw
