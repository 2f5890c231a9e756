// The Unicode ranges the interface draws, in one list with two readers:
// fonts.cpp builds ImGui's atlas from them, and the web build subsets the
// fonts it ships to them (cmake/subset_fonts.cmake reads the pairs below), so
// a glyph added here is both rasterised and shipped.
#pragma once

// Latin, Latin-1, Latin Extended-A (ē), Greek, the phonetic extensions' sub-
// and superscripts (yᵢ, βᵗ), general punctuation (· – …), super- and
// subscripts (θ₀, x²), arrows, maths operators, ⌊ ⌋, geometric shapes (▶ ◀ ■).
#define STEPWISE_GLYPH_RANGES                                                                     \
  0x0020, 0x00FF, 0x0100, 0x017F, 0x0370, 0x03FF, 0x1D00, 0x1DBF, 0x2000, 0x206F, 0x2070, 0x209F, \
      0x2190, 0x21FF, 0x2200, 0x22FF, 0x2300, 0x23FF, 0x25A0, 0x25FF

// Combining marks (the hat of x̂), taken from Inter in every font.
#define STEPWISE_COMBINING_RANGES 0x0300, 0x036F
