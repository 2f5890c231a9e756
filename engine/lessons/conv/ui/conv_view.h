// The convolution lesson's views: parameters, the maps (padded input,
// kernels, output), and the formula panel. They read the lesson every frame
// and change it only through ConvLesson's calls.
#pragma once
#include <string>

#include "conv_lesson.h"
#include "lesson_view.h"

namespace sw {

struct ConvView {
  bool show_flipped = false;  // show the flipped kernel of true convolution
  float brush = 1.f;          // value painted on the input
  bool pinned = false;        // a pinned output cell shows its full computation
  int pin_f = 0, pin_y = 0, pin_x = 0;
  std::string message;  // the last edit's error, shown until the next edit
  int last_paint = -1;  // input cell painted during the current drag
  int edit_f = 0, edit_c = 0, edit_i = 0, edit_j = 0;  // the kernel cell being typed
  float edit_value = 0;
  float input_x = 0, input_y = 0, cell = 0;  // input map 0 on screen (padding included), cell size
  int in_cols = 1, out_cols = 1;             // columns the input and output maps wrap into
  bool stacked = false;  // a narrow screen: input, kernels and output one under another
};

// Cells at least this wide show their values as numbers.
constexpr float kValuesMinCell = 26;

void conv_params_panel(ConvLesson& lesson, ConvView& view);
void conv_canvas(ConvLesson& lesson, ConvView& view);  // conv_canvas.cpp
void conv_formula_panel(ConvLesson& lesson, ConvView& view);

// The live output-size formula, e.g.
// "HO = ⌊(H + 2p − d(k−1) − 1)/s⌋ + 1 = ⌊(10 + 2·1 − 1·(3−1) − 1)/1⌋ + 1 = 10".
std::string conv_out_size_text(const ConvShape& s, bool rows);

}  // namespace sw
