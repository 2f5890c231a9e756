// The browser entry point: Emscripten's GLFW owns the WebGL2 context; input
// comes from the page's own listeners (web/stepwise.js) through the exported
// stepwise_input_* functions, and the same app_frame() as the desktop runs.
//
// Why not GLFW's input: Emscripten 3.1.6's GLFW listens for keys on the whole
// window (every instance on a page would get every key, and Backspace/Tab are
// swallowed page-wide) and swallows every wheel event over the canvas. An
// embed in an article must only take keys while it has focus and must let
// the article scroll, so GLFW's listeners are removed right after creation.
#include <GLFW/glfw3.h>
#include <emscripten.h>
#include <imgui.h>

#include <cmath>
#include <deque>
#include <string>

#include "app.h"
#include "fonts.h"
#include "gl.h"
#include "gpu_fields.h"
#include "imgui_gl.h"
#include "theme.h"

// WebGL draws a list past 65,535 vertices only with 32-bit indices (see
// CMakeLists.txt, target imgui).
static_assert(sizeof(ImDrawIdx) == 4, "ImDrawIdx must be 32-bit in the browser");

namespace {

sw::App* g_app = nullptr;
GLFWwindow* g_window = nullptr;
float g_dpr = 0;
bool g_gl_lost = false;  // between webglcontextlost and webglcontextrestored
double g_last = 0;
std::string g_reply;  // the last string handed to JS (valid until the next call)

// Input arrives between frames, and a quick press can go down and up before
// the next frame; ImGui 1.86 only sees the state at NewFrame. So events are
// queued and applied at the start of each frame, stopping at a second change
// of the same key or button (the rest waits for the next frame) — no click or
// key press is ever lost.
struct InputEvent {
  enum Kind { kMouse, kLeave, kKey, kChar, kWheel } kind;
  float x = 0, y = 0;
  int code = 0, down = 0, mods = 0;
};
std::deque<InputEvent> g_input;

void apply_input(ImGuiIO& io) {
  bool key_changed[512] = {}, button_changed[3] = {};
  while (!g_input.empty()) {
    const InputEvent& e = g_input.front();
    if (e.kind == InputEvent::kKey) {
      if (e.code < 0 || e.code >= 512) {
        g_input.pop_front();
        continue;
      }
      if (key_changed[e.code] && io.KeysDown[e.code] != (e.down != 0)) break;
      key_changed[e.code] |= io.KeysDown[e.code] != (e.down != 0);
      io.KeysDown[e.code] = e.down != 0;
      io.KeyCtrl = e.mods & 1, io.KeyShift = e.mods & 2, io.KeyAlt = e.mods & 4,
      io.KeySuper = e.mods & 8;
    } else if (e.kind == InputEvent::kMouse) {
      bool conflict = false;
      for (int i = 0; i < 3; ++i)
        conflict |= button_changed[i] && io.MouseDown[i] != (((e.down >> i) & 1) != 0);
      if (conflict) break;
      io.MousePos = ImVec2(e.x, e.y);
      for (int i = 0; i < 3; ++i) {
        bool d = (e.down >> i) & 1;
        button_changed[i] |= io.MouseDown[i] != d;
        io.MouseDown[i] = d;
      }
    } else if (e.kind == InputEvent::kLeave) {
      // A finger lifts and leaves at once: the release must be seen where it
      // happened (a tap on a button) before the pointer goes away.
      if (button_changed[0] || button_changed[1] || button_changed[2]) break;
      io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
    } else if (e.kind == InputEvent::kChar) {
      io.AddInputCharacter((unsigned)e.code);
    } else {
      io.MouseWheelH += e.x;
      io.MouseWheel += e.y;
    }
    g_input.pop_front();
  }
}

void queue(InputEvent e) {
  if (g_input.size() < 1024) g_input.push_back(e);  // a stalled tab must not grow it forever
}

// Sizes come from this instance's own canvas (Module.canvas), so several
// instances can share a page. 3.1.6's GLFW knows nothing of devicePixelRatio.
// The canvas's CSS size, read in a ResizeObserver callback (after layout) and
// kept: reading clientWidth in the frame forced a layout whenever the page had
// changed the DOM since (3 % of a busy frame in Chromium). Without
// ResizeObserver, read each frame as before.
EM_JS(void, js_watch_canvas_size, (), {
  var c = Module['canvas'];
  Module['cssSize'] = null;
  if (typeof ResizeObserver == 'undefined') return;
  new ResizeObserver(function() {
    Module['cssSize'] = [ c.clientWidth || 1, c.clientHeight || 1 ];
  }).observe(c);
});
EM_JS(double, js_canvas_css_width, (), {
  var s = Module['cssSize'];
  return s ? s[0] : Module['canvas'].clientWidth || 1;
});
EM_JS(double, js_canvas_css_height, (), {
  var s = Module['cssSize'];
  return s ? s[1] : Module['canvas'].clientHeight || 1;
});
EM_JS(double, js_device_pixel_ratio, (), { return window.devicePixelRatio || 1; });
EM_JS(void, js_set_backing_size, (int w, int h), {
  var c = Module['canvas'];
  if (c.width != w) c.width = w;
  if (c.height != h) c.height = h;
});
EM_JS(void, js_frame_done, (), {
  if (Module['onFrame']) Module['onFrame']();
});
// The listeners glfwInit() added (library_glfw.js), removed again.
EM_JS(void, js_detach_glfw_input, (), {
  window.removeEventListener("keydown", GLFW.onKeydown, true);
  window.removeEventListener("keypress", GLFW.onKeyPress, true);
  window.removeEventListener("keyup", GLFW.onKeyup, true);
  window.removeEventListener("blur", GLFW.onBlur, true);
  var c = Module['canvas'];
  var pairs = [
    [ "touchmove", GLFW.onMousemove ], [ "touchstart", GLFW.onMouseButtonDown ],
    [ "touchcancel", GLFW.onMouseButtonUp ], [ "touchend", GLFW.onMouseButtonUp ],
    [ "mousemove", GLFW.onMousemove ], [ "mousedown", GLFW.onMouseButtonDown ],
    [ "mouseup", GLFW.onMouseButtonUp ], [ "wheel", GLFW.onMouseWheel ],
    [ "mousewheel", GLFW.onMouseWheel ], [ "mouseenter", GLFW.onMouseenter ],
    [ "mouseleave", GLFW.onMouseleave ], [ "drop", GLFW.onDrop ], [ "dragover", GLFW.onDragover ]
  ];
  for (var i = 0; i < pairs.length; i++) c.removeEventListener(pairs[i][0], pairs[i][1], true);
});

// ImGui 1.86 keys are indices into io.KeysDown; the page sends DOM keyCodes.
void map_keys(ImGuiIO& io) {
  const int map[][2] = {{ImGuiKey_Tab, 9},         {ImGuiKey_LeftArrow, 37},
                        {ImGuiKey_RightArrow, 39}, {ImGuiKey_UpArrow, 38},
                        {ImGuiKey_DownArrow, 40},  {ImGuiKey_PageUp, 33},
                        {ImGuiKey_PageDown, 34},   {ImGuiKey_Home, 36},
                        {ImGuiKey_End, 35},        {ImGuiKey_Insert, 45},
                        {ImGuiKey_Delete, 46},     {ImGuiKey_Backspace, 8},
                        {ImGuiKey_Space, 32},      {ImGuiKey_Enter, 13},
                        {ImGuiKey_Escape, 27},     {ImGuiKey_KeyPadEnter, 13},
                        {ImGuiKey_A, 65},          {ImGuiKey_C, 67},
                        {ImGuiKey_V, 86},          {ImGuiKey_X, 88},
                        {ImGuiKey_Y, 89},          {ImGuiKey_Z, 90}};
  for (const auto& m : map) io.KeyMap[m[0]] = m[1];
}

void frame() {
  if (g_gl_lost) return;
  const double css_w = js_canvas_css_width(), css_h = js_canvas_css_height();
  const float dpr = (float)js_device_pixel_ratio();
  if (dpr != g_dpr) {
    // Re-rasterise the fonts for the new pixel ratio (browser zoom, other screen).
    g_dpr = dpr;
    sw::load_fonts("/fonts/Inter-Regular.otf", "/fonts/DejaVuSansMono.ttf", dpr);
    sw::imgui_gl_fonts();
  }
  const int bw = (int)std::lround(css_w * dpr), bh = (int)std::lround(css_h * dpr);
  js_set_backing_size(bw, bh);

  const double now = emscripten_get_now() / 1000.0;
  const float dt = g_last > 0 ? (float)std::min(now - g_last, 0.25) : 1.f / 60;
  g_last = now;

  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2((float)css_w, (float)css_h);
  io.DisplayFramebufferScale = ImVec2(dpr, dpr);
  io.DeltaTime = dt > 0 ? dt : 1.f / 60;
  apply_input(io);
  ImGui::NewFrame();
  sw::app_frame(*g_app, dt);
  ImGui::Render();
  glViewport(0, 0, bw, bh);
  const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  glClearColor(bg.x, bg.y, bg.z, 1);
  glClear(GL_COLOR_BUFFER_BIT);
  sw::imgui_gl_render(ImGui::GetDrawData());
  // Characters typed this frame were consumed; the page may queue more.
  js_frame_done();
}

}  // namespace

extern "C" {

// ---- state and commands (JSON strings; replies valid until the next call) ----
EMSCRIPTEN_KEEPALIVE const char* stepwise_state_json() {
  g_reply = g_app ? sw::app_state_json(*g_app) : "{}";
  return g_reply.c_str();
}

EMSCRIPTEN_KEEPALIVE const char* stepwise_command(const char* json) {
  g_reply = g_app && json ? sw::app_command(*g_app, json) : "not ready";
  return g_reply.c_str();
}

EMSCRIPTEN_KEEPALIVE const char* stepwise_apply_hash(const char* hash) {
  g_reply = g_app && hash ? sw::app_apply_hash(*g_app, hash) : "not ready";
  if (g_app) sw::apply_theme(g_app->dark);
  return g_reply.c_str();
}

EMSCRIPTEN_KEEPALIVE const char* stepwise_export_json() {
  g_reply = g_app ? sw::app_export_json(*g_app) : "{}";
  return g_reply.c_str();
}

EMSCRIPTEN_KEEPALIVE const char* stepwise_python() {
  g_reply = g_app ? sw::app_python(*g_app) : "";
  return g_reply.c_str();
}

// The same program for a framework: "numpy" or "torch" (pythonSnippet({framework})).
EMSCRIPTEN_KEEPALIVE const char* stepwise_python_framework(const char* framework) {
  g_reply = g_app && framework ? sw::app_python(*g_app, framework) : "";
  return g_reply.c_str();
}

// WebGL context loss: stop drawing; on restore, create every GL object anew
// (ImGui's renderer, the font atlas, the field shaders and textures).
EMSCRIPTEN_KEEPALIVE void stepwise_gl_lost() {
  g_gl_lost = true;
}

EMSCRIPTEN_KEEPALIVE void stepwise_gl_restored() {
  sw::imgui_gl_shutdown();
  sw::imgui_gl_init();
  sw::field_reset_gl();
  g_dpr = 0;  // the next frame rebuilds the font texture
  g_gl_lost = false;
}

// A cheap change counter for the page's events: step and parameters.
EMSCRIPTEN_KEEPALIVE double stepwise_step() {
  return g_app ? (double)g_app->lesson().step() : 0;
}
EMSCRIPTEN_KEEPALIVE double stepwise_revision() {
  return g_app ? (double)sw::app_revision(*g_app) : 0;
}
// [{"name","title","description"}, …]: the registry, for the landing cards.
EMSCRIPTEN_KEEPALIVE const char* stepwise_lessons() {
  g_reply = sw::lessons_json().dump();
  return g_reply.c_str();
}

// ---- input from the page (CSS pixels relative to the canvas), queued ----
EMSCRIPTEN_KEEPALIVE void stepwise_input_mouse(float x, float y, int buttons) {
  InputEvent e{InputEvent::kMouse};
  e.x = x, e.y = y, e.down = buttons & 7;
  queue(e);
}

EMSCRIPTEN_KEEPALIVE void stepwise_input_mouse_leave() {
  queue({InputEvent::kLeave});
}

EMSCRIPTEN_KEEPALIVE void stepwise_input_wheel(float dx, float dy) {
  if (!std::isfinite(dx) || !std::isfinite(dy)) return;
  InputEvent e{InputEvent::kWheel};
  e.x = dx, e.y = dy;
  queue(e);
}

EMSCRIPTEN_KEEPALIVE void stepwise_input_key(int key_code, int down, int mods) {
  InputEvent e{InputEvent::kKey};
  e.code = key_code, e.down = down != 0, e.mods = mods;
  queue(e);
}

EMSCRIPTEN_KEEPALIVE void stepwise_input_char(unsigned int c) {
  if (c < 32 || c == 127 || c >= 0x110000) return;
  InputEvent e{InputEvent::kChar};
  e.code = (int)c;
  queue(e);
}

// Focus lost: release everything so no key or button stays stuck.
EMSCRIPTEN_KEEPALIVE void stepwise_input_blur() {
  ImGuiIO& io = ImGui::GetIO();
  g_input.clear();
  for (bool& k : io.KeysDown) k = false;
  for (bool& b : io.MouseDown) b = false;
  io.KeyCtrl = io.KeyShift = io.KeyAlt = io.KeySuper = false;
}

// What the UI wants right now, for the page's preventDefault decisions:
// bit 0 mouse (a drag or a widget under the pointer), bit 1 text input,
// bit 2 the wheel (a scrollable panel under the pointer), bit 3 a widget
// under the pointer or in use (a tap there is a click, not "step").
EMSCRIPTEN_KEEPALIVE int stepwise_input_wants() {
  ImGuiIO& io = ImGui::GetIO();
  const bool widget = sw::app_widget_in_use();
  return (io.WantCaptureMouse ? 1 : 0) | (io.WantTextInput ? 2 : 0) |
         (sw::app_wants_wheel() ? 4 : 0) | (widget ? 8 : 0);
}

// 1 if a touch starting at (x, y) (CSS pixels of the canvas) drags
// something in two dimensions: the element then keeps the page from scrolling.
EMSCRIPTEN_KEEPALIVE int stepwise_touch_grabs(float x, float y) {
  return g_app && sw::app_touch_grabs(*g_app, x, y) ? 1 : 0;
}

EMSCRIPTEN_KEEPALIVE int stepwise_mouse_cursor() {
  return ImGui::GetMouseCursor();
}
}

int main() {
  if (!glfwInit()) return 1;
  glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
  g_window = glfwCreateWindow((int)js_canvas_css_width(), (int)js_canvas_css_height(), "Stepwise",
                              nullptr, nullptr);
  if (!g_window) return 1;
  glfwMakeContextCurrent(g_window);
  js_detach_glfw_input();
  js_watch_canvas_size();

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // no files on the web
  io.BackendPlatformName = "stepwise-web";
  map_keys(io);
  sw::imgui_gl_init();

  g_app = new sw::App();
  sw::apply_theme(g_app->dark);
  emscripten_set_main_loop(frame, 0, false);
  return 0;
}
