// The browser entry point: Emscripten's GLFW + WebGL2, the same app_frame()
// as the desktop. The page (index.html) creates the module with its canvas
// and talks to it through the exported stepwise_* functions.
#include <GLFW/glfw3.h>
#include <emscripten.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <cfloat>
#include <cmath>
#include <string>

#include "app.h"
#include "fonts.h"
#include "gl.h"
#include "theme.h"

namespace {

sw::App* g_app = nullptr;
GLFWwindow* g_window = nullptr;
float g_dpr = 0;
double g_last = 0;
std::string g_reply;  // the last string handed to JS (valid until the next call)

// Sizes come from this instance's own canvas (Module.canvas), so several
// instances can share a page. 3.1.6's GLFW knows nothing of devicePixelRatio.
EM_JS(double, js_canvas_css_width, (), { return Module['canvas'].clientWidth || 1; });
EM_JS(double, js_canvas_css_height, (), { return Module['canvas'].clientHeight || 1; });
EM_JS(double, js_device_pixel_ratio, (), { return window.devicePixelRatio || 1; });
EM_JS(void, js_set_backing_size, (int w, int h), {
  var c = Module['canvas'];
  if (c.width != w) c.width = w;
  if (c.height != h) c.height = h;
});
EM_JS(void, js_frame_done, (), { if (Module['onFrame']) Module['onFrame'](); });

void frame() {
  const double css_w = js_canvas_css_width(), css_h = js_canvas_css_height();
  const float dpr = (float)js_device_pixel_ratio();
  if (dpr != g_dpr) {
    // Re-rasterise the fonts for the new pixel ratio (browser zoom, other screen).
    g_dpr = dpr;
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    sw::load_fonts("/fonts/Inter-Regular.otf", "/fonts/DejaVuSansMono.ttf", dpr);
    ImGui_ImplOpenGL3_CreateFontsTexture();
  }
  const int bw = (int)std::lround(css_w * dpr), bh = (int)std::lround(css_h * dpr);
  js_set_backing_size(bw, bh);

  const double now = emscripten_get_now() / 1000.0;
  const float dt = g_last > 0 ? (float)(now - g_last) : 0.f;
  g_last = now;

  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2((float)css_w, (float)css_h);
  io.DisplayFramebufferScale = ImVec2(dpr, dpr);
  // GLFW reports the mouse in backing-store pixels; ImGui works in CSS pixels.
  if (io.MousePos.x > -FLT_MAX) io.MousePos = ImVec2(io.MousePos.x / dpr, io.MousePos.y / dpr);
  ImGui::NewFrame();
  sw::app_frame(*g_app, dt);
  ImGui::Render();
  glViewport(0, 0, bw, bh);
  const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  glClearColor(bg.x, bg.y, bg.z, 1);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  js_frame_done();
}

}  // namespace

extern "C" {

// The state as JSON; the page's getState() parses it.
EMSCRIPTEN_KEEPALIVE const char* stepwise_state_json() {
  g_reply = g_app ? sw::app_state_json(*g_app) : "{}";
  return g_reply.c_str();
}

// One JSON command; returns "" or an error message.
EMSCRIPTEN_KEEPALIVE const char* stepwise_command(const char* json) {
  g_reply = g_app && json ? sw::app_command(*g_app, json) : "not ready";
  return g_reply.c_str();
}

// URL-hash settings ("lesson=conv&theme=dark"); returns "" or what was skipped.
EMSCRIPTEN_KEEPALIVE const char* stepwise_apply_hash(const char* hash) {
  g_reply = g_app && hash ? sw::app_apply_hash(*g_app, hash) : "not ready";
  if (g_app) sw::apply_theme(g_app->dark);
  return g_reply.c_str();
}
}

int main() {
  if (!glfwInit()) return 1;
  glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
  g_window = glfwCreateWindow((int)js_canvas_css_width(), (int)js_canvas_css_height(), "Stepwise", nullptr, nullptr);
  if (!g_window) return 1;
  glfwMakeContextCurrent(g_window);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;  // no files on the web
  ImGui_ImplGlfw_InitForOpenGL(g_window, true);
  ImGui_ImplOpenGL3_Init("#version 300 es");

  g_app = new sw::App();
  sw::apply_theme(g_app->dark);
  emscripten_set_main_loop(frame, 0, false);
  return 0;
}
