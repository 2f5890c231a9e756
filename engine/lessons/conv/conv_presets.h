// Ready-made inputs and kernels for the convolution lesson.
//
// Names are part of the public interface (URL hash, JSON, element
// attributes): extend the lists, never rename an entry.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "tensor.h"

namespace sw {

const std::vector<std::string>&
conv_input_presets();  // digit, edges, checkerboard, gradient, random
const std::vector<std::string>&
conv_kernel_presets();  // identity, box, gaussian, sharpen, sobel_x, ...
std::string conv_preset_label(const std::string& name);  // "Sobel x", "Box blur", ...

// Fills a C×H×W input; false for an unknown name. Deterministic in `seed`.
bool conv_fill_input(Tensor& input, const std::string& name, uint64_t seed);

// Fills every filter/channel slice of an F×C×KH×KW kernel. Fixed 3×3 presets
// (sharpen, Sobel, Laplacian, emboss) need KH = KW = 3 and return false otherwise;
// identity, box, gaussian and random fit any size.
bool conv_fill_kernel(Tensor& kernel, const std::string& name, uint64_t seed);

// True if the named kernel preset only exists at 3×3.
bool conv_kernel_preset_is_3x3(const std::string& name);

}  // namespace sw
