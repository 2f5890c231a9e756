#include "imgui_gl.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <vector>

#include "gl.h"
#include "gl_program.h"
#include "shader_sources.h"

namespace sw {

namespace {

static_assert(sizeof(ImDrawIdx) == 4, "ImGui is built with 32-bit indices (CMakeLists.txt)");

struct Renderer {
  GLuint program = 0, vao = 0, vbo = 0, ebo = 0, font = 0;
  GLint u_proj = -1, u_texture = -1;
  std::vector<ImDrawVert> vertices;  // every list's, joined
  std::vector<ImDrawIdx> indices;    // every list's, offset to the joined vertices
};
Renderer g;

// Everything the draw lists are drawn with: blending for premultiplied
// coverage as ImGui expects, scissor on, no depth, stencil or culling, the
// orthographic projection of the display rectangle, ImDrawVert at locations
// 0–2 of our vertex array. Called at the start of each render and again
// after a callback that asked for it (a value field switches programs).
void setup(const ImDrawData* dd, int fb_w, int fb_h) {
  glEnable(GL_BLEND);
  glBlendEquation(GL_FUNC_ADD);
  glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
  glDisable(GL_CULL_FACE);
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_STENCIL_TEST);
  glEnable(GL_SCISSOR_TEST);
  glViewport(0, 0, fb_w, fb_h);
  glUseProgram(g.program);
  glUniform1i(g.u_texture, 0);
  glActiveTexture(GL_TEXTURE0);
  glBindVertexArray(g.vao);
  glBindBuffer(GL_ARRAY_BUFFER, g.vbo);
  glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, g.ebo);
  gl_imgui_vertex_state(dd, g.u_proj);
}

// Every list's vertices and indices joined and uploaded with one bufferData
// each a frame (indices offset by the vertices of the lists before them:
// WebGL2 has no base vertex). One bufferData per list and buffer had been 3 %
// of the network lesson's frame in Chromium; bufferSubData into the buffers
// of the frame before was slower still (the GPU may still read them).
void upload(const ImDrawData* dd) {
  g.vertices.resize((size_t)dd->TotalVtxCount);
  g.indices.resize((size_t)dd->TotalIdxCount);
  size_t vat = 0, iat = 0;
  for (int n = 0; n < dd->CmdListsCount; ++n) {
    const ImDrawList* dl = dd->CmdLists[n];
    std::copy(dl->VtxBuffer.begin(), dl->VtxBuffer.end(), g.vertices.begin() + (ptrdiff_t)vat);
    for (ImDrawIdx i : dl->IdxBuffer) g.indices[iat++] = (ImDrawIdx)vat + i;
    vat += (size_t)dl->VtxBuffer.Size;
  }
  glBufferData(GL_ARRAY_BUFFER, (GLsizeiptr)(vat * sizeof(ImDrawVert)), g.vertices.data(),
               GL_STREAM_DRAW);
  glBufferData(GL_ELEMENT_ARRAY_BUFFER, (GLsizeiptr)(iat * sizeof(ImDrawIdx)), g.indices.data(),
               GL_STREAM_DRAW);
}

}  // namespace

bool imgui_gl_init() {
  g = Renderer();
  g.program = gl_program(kShader_field_vert, kShader_imgui_frag);
  if (!g.program) return false;
  gl_uniform_locations(g.program, {{&g.u_proj, "ProjMtx"}, {&g.u_texture, "Texture"}});
  glGenVertexArrays(1, &g.vao);
  glGenBuffers(1, &g.vbo);
  glGenBuffers(1, &g.ebo);
  ImGui::GetIO().BackendRendererName = "stepwise-gl";
  return true;
}

void imgui_gl_fonts() {
  ImGuiIO& io = ImGui::GetIO();
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
  if (!g.font) glGenTextures(1, &g.font);
  glBindTexture(GL_TEXTURE_2D, g.font);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, pixels);
  io.Fonts->SetTexID((ImTextureID)(intptr_t)g.font);
}

void imgui_gl_render(const ImDrawData* dd) {
  const ImVec2 scale = dd->FramebufferScale;
  const int fb_w = (int)(dd->DisplaySize.x * scale.x), fb_h = (int)(dd->DisplaySize.y * scale.y);
  if (!g.program || fb_w <= 0 || fb_h <= 0) return;
  setup(dd, fb_w, fb_h);
  upload(dd);
  const ImVec2 origin = dd->DisplayPos;
  size_t list_idx = 0;  // where this list's indices start in the joined buffer
  for (int n = 0; n < dd->CmdListsCount; ++n) {
    const ImDrawList* dl = dd->CmdLists[n];
    for (const ImDrawCmd& cmd : dl->CmdBuffer) {
      if (cmd.UserCallback == ImDrawCallback_ResetRenderState) {
        setup(dd, fb_w, fb_h);
        continue;
      }
      if (cmd.UserCallback) {
        cmd.UserCallback(dl, &cmd);
        continue;
      }
      // The clip rectangle in framebuffer pixels (GL's origin is bottom-left).
      const float x0 = (cmd.ClipRect.x - origin.x) * scale.x;
      const float y0 = (cmd.ClipRect.y - origin.y) * scale.y;
      const float x1 = (cmd.ClipRect.z - origin.x) * scale.x;
      const float y1 = (cmd.ClipRect.w - origin.y) * scale.y;
      if (x1 <= x0 || y1 <= y0) continue;
      glScissor((GLint)x0, (GLint)((float)fb_h - y1), (GLsizei)(x1 - x0), (GLsizei)(y1 - y0));
      glBindTexture(GL_TEXTURE_2D, (GLuint)(intptr_t)cmd.GetTexID());
      glDrawElements(GL_TRIANGLES, (GLsizei)cmd.ElemCount, GL_UNSIGNED_INT,
                     (void*)(intptr_t)((list_idx + cmd.IdxOffset) * sizeof(ImDrawIdx)));
    }
    list_idx += (size_t)dl->IdxBuffer.Size;
  }
  // The next frame clears the whole framebuffer (glClear obeys the scissor).
  glDisable(GL_SCISSOR_TEST);
}

void imgui_gl_shutdown() {
  // After a lost context the names are stale: deleting them is harmless.
  if (g.vbo) glDeleteBuffers(1, &g.vbo);
  if (g.ebo) glDeleteBuffers(1, &g.ebo);
  if (g.vao) glDeleteVertexArrays(1, &g.vao);
  if (g.font) glDeleteTextures(1, &g.font);
  if (g.program) glDeleteProgram(g.program);
  g = Renderer();
  if (ImGui::GetCurrentContext()) ImGui::GetIO().Fonts->SetTexID(nullptr);
}

}  // namespace sw
