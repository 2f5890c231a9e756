// The native desktop app: GLFW + OpenGL 3.3, the same app_frame() as the browser.
//   stepwise                       open the playground
//   stepwise job <file.json | ->   run a JSON job headless (as stepwise-cli)
//   stepwise lessons [--json]      list the registered lessons
//   stepwise --hash "lesson=conv&theme=dark"   the URL-hash settings, as on the web
//   stepwise --screenshot out.png [--frames N] [--size WxH]   render N frames, save, exit
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>

#include "app.h"
#include "cli_job.h"
#include "fonts.h"
#include "gl.h"
#include "imgui_gl.h"
#include "theme.h"

namespace {

struct Options {
  std::string hash, screenshot;
  int frames = 30, width = 1280, height = 800;
};

bool parse_options(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    const char* v = nullptr;
    if (a == "--hash" && (v = next()))
      o.hash = v;
    else if (a == "--screenshot" && (v = next()))
      o.screenshot = v;
    else if (a == "--frames" && (v = next()))
      o.frames = std::max(1, std::atoi(v));
    else if (a == "--size" && (v = next())) {
      if (std::sscanf(v, "%dx%d", &o.width, &o.height) != 2 || o.width < 320 || o.height < 240 ||
          o.width > 8192 || o.height > 8192) {
        std::fprintf(stderr, "stepwise: --size wants WxH, e.g. 1280x800\n");
        return false;
      }
    } else {
      std::fprintf(
          stderr,
          "usage: stepwise [--hash SETTINGS] [--screenshot out.png] [--frames N] [--size WxH]\n"
          "       stepwise job|python <file.json | ->\n"
          "       stepwise lessons [--json]\n");
      return false;
    }
  }
  return true;
}

bool save_screenshot(const std::string& path, int w, int h) {
  std::vector<unsigned char> px((size_t)w * h * 4), flipped(px.size());
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, px.data());
  for (int y = 0; y < h; ++y)
    std::memcpy(&flipped[(size_t)y * w * 4], &px[(size_t)(h - 1 - y) * w * 4], (size_t)w * 4);
  return stbi_write_png(path.c_str(), w, h, 4, flipped.data(), w * 4) != 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (const int code = sw::cli_main(argc, argv); code >= 0) return code;  // job, python, lessons
  Options opt;
  if (!parse_options(argc, argv, opt)) return 2;

  glfwSetErrorCallback(
      [](int code, const char* msg) { std::fprintf(stderr, "glfw %d: %s\n", code, msg); });
  if (!glfwInit()) return 1;
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  GLFWwindow* window = glfwCreateWindow(opt.width, opt.height, "Stepwise", nullptr, nullptr);
  if (!window) {
    std::fprintf(stderr, "stepwise: could not open an OpenGL 3.3 window\n");
    glfwTerminate();
    return 1;
  }
  glfwMakeContextCurrent(window);
  glfwSwapInterval(1);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  if (!sw::imgui_gl_init()) {
    std::fprintf(stderr, "stepwise: ImGui's shaders did not build\n");
    return 1;
  }

  sw::App app;
  std::string notice = sw::app_apply_hash(app, opt.hash);
  if (!notice.empty()) std::fprintf(stderr, "stepwise: %s\n", notice.c_str());
  sw::apply_theme(app.dark);

  // Fonts at the framebuffer/content scale so text stays crisp on HiDPI screens.
  float xs = 1, ys = 1;
  glfwGetWindowContentScale(window, &xs, &ys);
  int fbw, fbh, ww, wh;
  glfwGetFramebufferSize(window, &fbw, &fbh);
  glfwGetWindowSize(window, &ww, &wh);
  float scale = std::max(xs, ww > 0 ? (float)fbw / ww : 1.f);
  sw::load_fonts(STEPWISE_FONT_INTER, STEPWISE_FONT_MONO, scale);
  sw::imgui_gl_fonts();

  double last = glfwGetTime();
  int frame = 0;
  while (!glfwWindowShouldClose(window)) {
    glfwPollEvents();
    double now = glfwGetTime();
    float dt = (float)(now - last);
    last = now;
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();
    sw::app_frame(app, dt);
    ImGui::Render();
    glfwGetFramebufferSize(window, &fbw, &fbh);
    glViewport(0, 0, fbw, fbh);
    const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
    glClearColor(bg.x, bg.y, bg.z, 1);
    glClear(GL_COLOR_BUFFER_BIT);
    sw::imgui_gl_render(ImGui::GetDrawData());
    if (!opt.screenshot.empty() && ++frame >= opt.frames) {
      bool ok = save_screenshot(opt.screenshot, fbw, fbh);
      std::printf("%s %s (%dx%d, %d frames)\n", ok ? "wrote" : "failed to write",
                  opt.screenshot.c_str(), fbw, fbh, frame);
      glfwSetWindowShouldClose(window, 1);
      if (!ok) return 1;
    }
    glfwSwapBuffers(window);
  }
  sw::imgui_gl_shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  return 0;
}
