// The network lesson's decision field computed on the GPU. Declared here for
// the view; implemented by gpu/mlp_field_gl.cpp (OpenGL/WebGL2) and by
// gpu/mlp_field_null.cpp in the GPU-free tests (which draw the CPU field).
#pragma once
#include <imgui.h>

#include <cstdint>
#include <vector>

namespace sw {

// What the field shader needs: the network in mlp_flatten's order, how its
// inputs are scaled, and the data window the grid covers (x₂ upwards).
struct MlpFieldSpec {
  std::vector<int> sizes;    // n_0 = 2 … n_L
  std::vector<int> acts;     // per layer 1 … L, mlp_net.h's Act as int
  std::vector<float> theta;  // W1, b1, W2, b2, …
  float shift[2] = {0, 0}, scale[2] = {1, 1};
  double lo[2] = {0, 0}, hi[2] = {1, 1};
  int output = 0;       // the output unit shown …
  float threshold = 0;  // … minus this (½ for probabilities) …
  float vmax = 1;       // … over the colour scale ±vmax
  uint64_t key = 0;     // the caller's hash of all the above: equal keys, same picture
};

// Renders the field into a side×side colour texture: shaders/mlp_field_frag
// runs the network's forward pass once per cell (its centre), and the plane
// draws the texture scaled with linear filtering. The texture is rendered
// again only when spec.key changes. Returns 0 when there is no GPU program
// (GPU-free tests, a shader that failed to build, a lost WebGL context): the
// caller then draws the field computed on the CPU.
ImTextureID mlp_field_texture(const MlpFieldSpec& spec, int side);

}  // namespace sw
