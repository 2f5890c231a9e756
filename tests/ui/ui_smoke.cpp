// GPU-free UI smoke test (ImPlot-style): an ImGui context with no backend
// renders hundreds of frames of every view while stepping, playing, hovering
// and changing parameters. Fails on any ImGui assertion or a broken invariant.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "app.h"
#include "colormap.h"
#include "fonts.h"
#include "headless_imgui.h"
#include "theme.h"

#define REQUIRE(cond)                                                            \
  do {                                                                           \
    if (!(cond)) {                                                               \
      std::fprintf(stderr, "ui-smoke: failed: %s (line %d)\n", #cond, __LINE__); \
      std::exit(1);                                                              \
    }                                                                            \
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
  // WebGL2 draws with 16-bit indices and no vertex offset: each draw list
  // must stay below 65,536 vertices (10,000 SVM points included).
  const ImDrawData* dd = ImGui::GetDrawData();
  for (int i = 0; i < dd->CmdListsCount; ++i) REQUIRE(dd->CmdLists[i]->VtxBuffer.Size < 65536);
}

int main() {
  headless_imgui(2.f);
  REQUIRE(sw::fonts().mono != nullptr);

  // The colour scale's zero: the light theme's stays ColorBrewer's near-white
  // (247, 247, 247); the dark theme's is a dark neutral (issue 18 item 14: a
  // white zero made the conv input a glaring white grid), with labels in white.
  auto lum = [](ImVec4 c) { return 0.299f * c.x + 0.587f * c.y + 0.114f * c.z; };
  sw::apply_theme(false);
  const ImVec4 zero_light = sw::diverging(0);
  REQUIRE(std::fabs(zero_light.x - 247 / 255.f) < 1e-6f && zero_light.x == zero_light.y &&
          zero_light.y == zero_light.z);
  REQUIRE(lum(sw::diverging(-1)) < 0.5f && lum(sw::diverging(1)) < 0.5f);
  sw::apply_theme(true);
  const ImVec4 zero_dark = sw::diverging(0);
  REQUIRE(lum(zero_dark) < 0.3f);
  REQUIRE(std::fabs(zero_dark.x - zero_dark.z) < 0.1f);  // neutral, neither blue nor red
  REQUIRE(sw::text_on(zero_dark) == IM_COL32(255, 255, 255, 255));
  // Magnitude still stands out from zero: both ends are brighter than it.
  REQUIRE(lum(sw::diverging(-1)) > lum(zero_dark) + 0.2f);
  REQUIRE(lum(sw::diverging(1)) > lum(zero_dark) + 0.2f);

  sw::App app;
  sw::apply_theme(false);
  // Extra deep links per lesson that change every kind of parameter (the same
  // path the page uses), cycled while stepping. Every registered lesson is
  // smoked: one without extra links here gets its own default link.
  const std::map<std::string, std::vector<std::string>> extra_links = {
      {"conv",
       {"C=2&F=2&H=9&W=7&stride=2,1&dilation=1,2&act=relu&input=random&kernel=random",
        "H=100&W=100&input=digit&kernel=gaussian",  // 100×100: the texture path
        "C=3&F=3&H=6&W=6&KH=2&KW=3&padding=0&kernel=box", "H=1&W=1&KH=1&KW=1&padding=0"}},
      {"svm",
       {"preset=overlap&n=300&C=10&step=500&level=sample",
        "preset=overlap&n=10000&epochs=2&solver=exact&step=70000",  // 10,000 points
        "preset=few&schedule=pegasos&epochs=3&level=epoch",
        "preset=custom&pts=0,0,1,1,1,-1,2,0,1,0.5,0.5,-1&schedule=constant&eta=0.05&C=0.5"}},
      {"batchnorm",
       {"N=8&C=3&preset=scales&mode=train&convention=pytorch&backward=1",
        "N=4&C=3&H=4&W=5&preset=outlier&mode=inference&convention=keras&level=element",
        "N=1&C=2&preset=single&epsilon=0.001&momentum=0.5&gamma=2,0.5&beta=1,-1",
        "N=256&C=16&preset=random&seed=9&batch=7&updates=3&rmean=0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0"
        "&rvar=1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,2&level=channel",
        // 4096 × 256: the GPU grids, the scrolling parameters table
        "preset=large&step=4195500&level=element",
        "preset=large&mode=inference&backward=1&step=2000000"}},
  };
  const ImVec2 sizes[] = {{1280, 800}, {640, 480}, {1920, 1080}, {360, 640}};
  int frames = 0;
  REQUIRE(app.lessons.size() == sw::lesson_registry().size());  // every lesson has a view
  for (const sw::LessonSlot& slot : app.lessons) {
    const std::string name = slot.info->name;
    auto extra = extra_links.find(name);
    const std::vector<std::string> urls =
        extra != extra_links.end() ? extra->second : std::vector<std::string>{slot.lesson->url()};
    REQUIRE(sw::app_command(app, "{\"cmd\":\"lesson\",\"lesson\":\"" + name + "\"}") == "");
    REQUIRE(name == app.lesson().name());
    for (int round = 0; round < std::max<int>(4, (int)urls.size()); ++round) {
      ImVec2 size = sizes[round % 4];
      REQUIRE(sw::app_apply_hash(app, urls[round % urls.size()]) == "");
      for (int i = 0; i < 100; ++i, ++frames) {
        // Sweep the mouse over the whole window to hover every view.
        ImVec2 mouse((i * 37) % (int)size.x, (i * 53) % (int)size.y);
        frame(app, size, mouse, i % 17 == 0);
        sw::Lesson& l = app.lesson();
        REQUIRE(l.step() <= l.trace().size());
        l.forward();
        if (i % 10 == 0) l.set_level((i / 10) % l.trace().level_count());
      }
      app.lesson().play();
      app.dark = round % 2 == 1;
      sw::apply_theme(app.dark);
    }
  }
  // Regression (stepwise-fuzz-url): a link with bytes that are not UTF-8 put
  // them into the notice, and getState()'s JSON writer threw.
  const std::string notice = sw::app_apply_hash(app, "lesson=conv&kernel=%ff%fe&input=%c3%28");
  REQUIRE(notice.find("kernel='?"
                      "?' ignored") != std::string::npos);
  const nlohmann::json state = nlohmann::json::parse(sw::app_state_json(app), nullptr, false);
  REQUIRE(state.is_object() && state["notice"] == notice);
  REQUIRE(nlohmann::json::parse(sw::app_export_json(app), nullptr, false).is_object());
  REQUIRE(sw::app_command(app, R"({"cmd":"seek","step":1})") == "");
  REQUIRE(app.lesson().step() == 1);
  REQUIRE(sw::app_command(app, "nonsense") != "");
  REQUIRE(sw::app_command(app, R"({"cmd":"step","n":1e300})") != "");
  // Touch grabs: a finger on an SVM point (where the last frame drew it)
  // keeps the gesture; the params panel, other lessons and NaN do not.
  REQUIRE(sw::app_command(app, R"({"cmd":"lesson","lesson":"svm"})") == "");
  REQUIRE(sw::app_apply_hash(app, "preset=few") == "");
  for (int i = 0; i < 3; ++i) frame(app, ImVec2(1280, 800), ImVec2(-1, -1), false);
  const nlohmann::json view = app.view().view_json();
  const float px0 = view["points_screen"][0][0], py0 = view["points_screen"][0][1];
  REQUIRE(sw::app_touch_grabs(app, px0, py0));
  REQUIRE(sw::app_touch_grabs(app, px0 + 5, py0 - 5));
  REQUIRE(!sw::app_touch_grabs(app, 5, 795));
  REQUIRE(!sw::app_touch_grabs(app, NAN, py0));
  REQUIRE(sw::app_command(app, R"({"cmd":"lesson","lesson":"conv"})") == "");
  frame(app, ImVec2(1280, 800), ImVec2(-1, -1), false);
  REQUIRE(!sw::app_touch_grabs(app, px0, py0));
  // Conv with three input channels and two filters at 8×8 (issue 18 item 12)
  // drew ~12 px cells without numbers in one column, the canvas to the right
  // empty: the maps now wrap into columns, with bigger cells, and on a
  // full-HD window the cells are big enough for their values.
  sw::apply_theme(false);
  REQUIRE(sw::app_apply_hash(app, "C=3&F=2&H=8&W=8") == "");
  for (int i = 0; i < 3; ++i) frame(app, ImVec2(1280, 800), ImVec2(-1, -1), false);
  const nlohmann::json conv_view = app.view().view_json();
  std::printf("ui-smoke: conv C=3 F=2 8x8 at 1280x800: %s\n", conv_view.dump().c_str());
  REQUIRE(conv_view["map_columns"][0] > 1);
  REQUIRE(conv_view["cell"] >= 17.f);
  for (int i = 0; i < 3; ++i) frame(app, ImVec2(1920, 1080), ImVec2(-1, -1), false);
  const nlohmann::json conv_hd = app.view().view_json();
  std::printf("ui-smoke: conv C=3 F=2 8x8 at 1920x1080: %s\n", conv_hd.dump().c_str());
  REQUIRE(conv_hd["cell"] >= 26.f && conv_hd["values_shown"] == true);
  // Batch norm (issue 18 item 13): the "(?)" of "batch size N" stays beside
  // its slider (a fixed 90 px for label and marker pushed it to the next line)
  // and the parameters table's last row ends inside the canvas.
  REQUIRE(sw::app_command(app, R"({"cmd":"lesson","lesson":"batchnorm"})") == "");
  for (const char* link : {"N=8&C=2", "N=8&C=3&backward=1", "N=8&C=2&H=3&W=3&preset=constant"}) {
    REQUIRE(sw::app_apply_hash(app, link) == "");
    for (ImVec2 size : {ImVec2(1280, 800), ImVec2(1920, 1080)}) {
      for (int i = 0; i < 4; ++i) frame(app, size, ImVec2(-1, -1), false);
      const nlohmann::json bn = app.view().view_json();
      std::printf("ui-smoke: batchnorm %s at %.0fx%.0f: n_help %s table_bottom %s\n", link, size.x,
                  size.y, bn["n_help"].dump().c_str(), bn["table_bottom"].dump().c_str());
      REQUIRE(bn["n_help"][1].get<float>() - bn["n_help"][0].get<float>() <
              ImGui::GetFrameHeight() * 0.5f);
      REQUIRE(bn["table_bottom"][0].get<float>() <= bn["table_bottom"][1].get<float>());
    }
  }
  REQUIRE(frames >= 400 * (int)app.lessons.size());
  std::printf("ui-smoke: %d frames of every view of %zu lessons rendered\n", frames,
              app.lessons.size());
  ImGui::DestroyContext();
  return 0;
}
