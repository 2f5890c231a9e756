// GPU-free UI smoke test (ImPlot-style): an ImGui context with no backend
// renders hundreds of frames of every view while stepping, playing, hovering
// and changing parameters. Fails on any ImGui assertion or a broken invariant.
#include <imgui.h>

#include <cstdio>
#include <cstdlib>

#include "app.h"
#include "fonts.h"
#include "theme.h"

#define REQUIRE(cond)                                                \
  do {                                                               \
    if (!(cond)) {                                                   \
      std::fprintf(stderr, "ui-smoke: failed: %s (line %d)\n", #cond, __LINE__); \
      std::exit(1);                                                  \
    }                                                                \
  } while (0)

static void frame(sw::App& app, ImVec2 size, ImVec2 mouse, bool down) {
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = size;
  io.DeltaTime = 1.f / 60;
  io.MousePos = mouse;
  io.MouseDown[0] = down;
  ImGui::NewFrame();
  sw::app_frame(app, io.DeltaTime);
  ImGui::Render();
  REQUIRE(ImGui::GetDrawData()->TotalVtxCount > 100);
}

int main() {
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  sw::load_fonts(STEPWISE_FONT_INTER, STEPWISE_FONT_MONO, 2.f);
  unsigned char* px;
  int w, h;
  io.Fonts->GetTexDataAsRGBA32(&px, &w, &h);
  REQUIRE(sw::fonts().mono != nullptr);

  sw::App app;
  sw::apply_theme(false);
  const ImVec2 sizes[] = {{1280, 800}, {640, 480}, {1920, 1080}, {360, 640}};
  int frames = 0;
  for (int round = 0; round < 4; ++round) {
    ImVec2 size = sizes[round];
    for (int i = 0; i < 100; ++i, ++frames) {
      // Sweep the mouse over the whole window to hover every view.
      ImVec2 mouse((i * 37) % (int)size.x, (i * 53) % (int)size.y);
      frame(app, size, mouse, false);
      REQUIRE(app.conv.stepper().step() <= app.conv.trace().size());
      app.conv.stepper().forward(app.conv.trace());
      if (i % 10 == 0) app.conv.stepper().set_level(app.conv.trace(), (i / 10) % 4);
      if (i % 25 == 0) {
        sw::ConvShape s = app.conv.shape();
        s.C = 1 + (i / 25 + round) % 3;
        s.F = 1 + round % 3;
        s.stride_h = 1 + round % 2;
        s.dil_w = 1 + (i / 25) % 2;
        s.relu = !s.relu;
        s.H = s.W = round == 3 ? 100 : 8 + i / 10;  // 100×100 takes the texture path
        REQUIRE(app.conv.set_shape(s) == "");
      }
    }
    app.conv.stepper().play(app.conv.trace());
    app.conv_view.show_flipped = !app.conv_view.show_flipped;
    app.conv_view.pinned = true;
    app.dark = round % 2 == 1;
    sw::apply_theme(app.dark);
  }
  REQUIRE(sw::app_command(app, R"({"cmd":"seek","step":5})") == "");
  REQUIRE(app.conv.step() == 5);
  REQUIRE(sw::app_command(app, "nonsense") != "");
  REQUIRE(sw::app_command(app, R"({"cmd":"step","n":1e300})") != "");
  std::printf("ui-smoke: %d frames of every view rendered\n", frames);
  ImGui::DestroyContext();
  return 0;
}
