// Soak: every lesson of the App played through at least a million steps,
// with parameter changes (deep links) in between — does the heap stay flat?
//
//   stepwise-soak [--steps N] [--slack BYTES]        (natively)
//   node --no-experimental-fetch stepwise-soak.js …  (WebAssembly)
//   scripts/soak.sh runs both and prints what goes into BENCHMARKS.md.
//
// Per lesson: a warm-up cycle applies each of its links once and plays it; then the heap in use
// is measured at a fixed state (the first link, step 0). Cycles over the links continue —
// autoplay at the op level, stepping by hand with the formula read at every step, back steps,
// coarser levels, a frame every few thousand steps — until N steps have been taken; then the heap
// is measured again at the same state. It fails if the end exceeds the warm-up by more than the
// slack (default 16 KiB).
//
// Natively the heap in use is glibc's mallinfo2().uordblks, with glibc's per-thread cache off
// (the program restarts itself with GLIBC_TUNABLES=glibc.malloc.tcache_count=0): the cache keeps
// up to 7 freed chunks per size class, which mallinfo2 counts as in use — with it, the batch-norm
// soak seemed to grow by 2.7 KB over 10⁷ steps while nothing stayed allocated. In wasm it is
// dlmalloc's mallinfo().uordblks (no such cache), with the size of the wasm memory beside it.
#include <imgui.h>
#include <malloc.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#ifdef __EMSCRIPTEN__
#include <emscripten/heap.h>
#endif

#include "app.h"
#include "theme.h"

using namespace sw;

// Valid links per lesson (each lesson's *_url.h documents the keys). A lesson
// missing from this table is soaked with its own default link under a few seeds.
static const std::map<std::string, std::vector<std::string>> kLinks = {
    {"conv",
     {"C=1&H=10&W=10&F=1&KH=3&KW=3&input=digit&kernel=sobel_x",
      "C=2&F=2&H=9&W=7&stride=2,1&dilation=1,2&act=relu&input=random&kernel=random&seed=7",
      "C=3&F=3&H=16&W=16&KH=5&KW=5&padding=2&input=checkerboard&kernel=gaussian&bias=0.5,-0.25,1",
      "H=28&W=28&input=gradient&kernel=laplacian&act=relu&in_edits=0.3.4:2.5,0.10.10:-1&k_edits=0."
      "0.1.1:-8",
      "C=4&F=4&H=12&W=12&KH=7&KW=7&padding=3&stride=2&input=edges&kernel=box",
      "H=1&W=1&KH=1&KW=1&padding=0&input=random&kernel=identity&seed=3"}},
    {"svm",
     {"preset=separable&n=40&seed=1", "preset=overlap&n=200&seed=3&C=0.5&schedule=pegasos&epochs=5",
      "preset=outlier&C=10&schedule=constant&eta=0.01&epochs=20", "preset=few&solver=exact",
      "preset=xor&n=500&seed=9&epochs=3", "pts=0,0,1,1,1,1,3,3,-1,4,3,-1&C=2&epochs=50"}},
    {"batchnorm",
     {"N=8&C=2&preset=scales", "N=4&C=3&preset=outlier&seed=2&convention=keras&momentum=0.9",
      "shape=2,2,3,3&preset=random&mode=inference&rmean=0.5,1&rvar=2,0.25&updates=3",
      "N=1&C=2&preset=single",
      "N=16&C=4&preset=constant&backward=1&gamma=1,2,0.5,1&beta=0,0.1,-1,0",
      "N=32&C=2&preset=random&batch=5&epsilon=0.001"}},
    {"optim",
     {"preset=valley", "preset=rosenbrock&ema=0.9", "preset=minibatch", "preset=too_large",
      "surface=himmelblau&start=0.5,-0.5&steps=80&o1=rmsprop&o1.lr=0.05&o1.centered=1&o2=adagrad&"
      "o2.lr=0.5&o2.conv=keras",
      "surface=saddle&start=1,0.001&steps=120&o1=sgd&o1.lr=0.05&o1.momentum=0.9&o1.nesterov=1"}},
};

static size_t heap_in_use() {
#ifdef __EMSCRIPTEN__
  return (size_t)mallinfo().uordblks;
#else
  return mallinfo2().uordblks;
#endif
}

static size_t memory_size() {
#ifdef __EMSCRIPTEN__
  return emscripten_get_heap_size();
#else
  return 0;
#endif
}

static void frame(App& app) {
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(1280, 800);
  io.DeltaTime = 1.f / 60;
  io.MousePos = ImVec2(640, 300);
  ImGui::NewFrame();
  app_frame(app, io.DeltaTime);
  ImGui::Render();
}

struct Soak {
  App& app;
  std::string name;
  std::vector<std::string> links;
  long long steps = 0, moves_coarse = 0, link_changes = 0, frames = 0, formula_bytes = 0;
  long long next_frame = 0;  // a frame of every view each 5000 steps

  void apply(const std::string& link) {
    std::string msg = app_apply_hash(app, "lesson=" + name + "&" + link);
    if (!msg.empty()) {
      std::fprintf(stderr, "soak: %s: the link \"%s\" gave a message: %s\n", name.c_str(),
                   link.c_str(), msg.c_str());
      std::exit(1);
    }
    ++link_changes;
  }

  // One link: play it through (up to `budget` steps) the ways a learner does.
  void play_link(const std::string& link, long long budget) {
    apply(link);
    Lesson& l = app.lesson();
    Lesson& st = l;  // moves through its own trace
    st.set_level(0);
    st.reset();
    const long long start = steps;
    while (steps - start < budget) {
      // Autoplay at full speed, as the frame loop drives it.
      st.set_speed(Stepper::kMaxSpeed);
      st.play();
      for (int t = 0; t < 8 && st.playing(); ++t) {
        const int64_t before = st.step();
        st.tick(0.25);
        steps += st.step() - before;
      }
      st.pause();
      // By hand: a step at a time, reading the op (formula, words) each time.
      for (int k = 0; k < 500; ++k) {
        if (st.step() >= l.trace().size()) st.reset();
        st.forward();
        ++steps;
        Op op;
        if (l.current_op(&op)) formula_bytes += (long long)op.formula.size();
      }
      for (int k = 0; k < 50 && st.step() > 0; ++k, ++steps) st.back();
      // Coarser units, then back to single operations.
      for (int level = 1; level < l.trace().level_count(); ++level) {
        st.set_level(level);
        st.forward();
        st.back();
        moves_coarse += 2;
      }
      st.set_level(0);
      if (steps >= next_frame) frame(app), ++frames, next_frame += 5000;
      if (l.trace().size() == 0) break;
    }
  }

  void cycle(long long per_link) {
    for (const std::string& link : links) play_link(link, per_link);
  }

  // The fixed state at which the heap is compared: the first link at step 0.
  // (No frame here: what the views keep between frames is whatever the last
  // frame of the cycles left, at warm-up as at the end.)
  size_t measure() {
    apply(links[0]);
    app.lesson().reset();
    return heap_in_use();
  }
};

#ifndef __EMSCRIPTEN__
#include <unistd.h>

// Restarts the program with glibc's tcache off (see the top); on failure it
// goes on with the cache, and says so.
static void without_tcache(char** argv) {
  const char* t = std::getenv("GLIBC_TUNABLES");
  if (t && std::strstr(t, "glibc.malloc.tcache_count=0")) return;
  setenv("GLIBC_TUNABLES", "glibc.malloc.tcache_count=0", 1);
  execv("/proc/self/exe", argv);
  std::printf("soak: could not restart without glibc's tcache; heap numbers include it\n");
}
#endif

int main(int argc, char** argv) {
#ifndef __EMSCRIPTEN__
  without_tcache(argv);
#endif
  long long target = 1000000, slack = 16 * 1024;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--steps"))
      target = std::atoll(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--slack"))
      slack = std::atoll(argv[i + 1]);
  }
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  unsigned char* px;
  int w, h;
  io.Fonts->GetTexDataAsRGBA32(&px, &w, &h);
  apply_theme(false);

  App app;
  bool ok = true;
  std::printf("soak: %lld steps per lesson, slack %lld bytes%s\n", target, slack,
              std::getenv("GLIBC_TUNABLES") ? ", glibc tcache off" : "");
  for (size_t i = 0; i < app.lessons.size(); ++i) {
    Soak s{app, app.lessons[i].info->name, {}};
    auto it = kLinks.find(s.name);
    if (it != kLinks.end()) {
      s.links = it->second;
    } else {
      app.active = (int)i;
      const std::string base = app.lesson().url();
      for (int seed = 1; seed <= 4; ++seed)
        s.links.push_back(base + "&seed=" + std::to_string(seed));
    }
    const auto t0 = std::chrono::steady_clock::now();
    const long long per_link = 20000;
    s.cycle(per_link);  // warm-up: every link once
    const size_t warm = s.measure(), warm_mem = memory_size();
    const long long warm_steps = s.steps;
    while (s.steps < target) s.cycle(per_link);
    const size_t end = s.measure(), end_mem = memory_size();
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const long long diff = (long long)end - (long long)warm;
    const bool pass = diff <= slack;
    ok = ok && pass;
    std::printf(
        "soak %-10s %s: %lld steps (%lld in warm-up) + %lld coarse moves, %lld link changes, %lld "
        "frames, "
        "%.1f s; heap in use after warm-up %zu B, at the end %zu B, difference %+lld B",
        s.name.c_str(), pass ? "ok  " : "FAIL", s.steps, warm_steps, s.moves_coarse, s.link_changes,
        s.frames, secs, warm, end, diff);
    if (warm_mem) std::printf("; wasm memory %zu -> %zu B", warm_mem, end_mem);
    std::printf("\n");
    if (s.formula_bytes == 0)
      std::printf("soak %s: no formula was read\n", s.name.c_str()), ok = false;
  }
  ImGui::DestroyContext();
  std::printf(ok ? "soak: heap flat for every lesson\n" : "soak: FAILED\n");
  return ok ? 0 : 1;
}
