// Fragment stage for the network lesson's decision field: the network's own
// forward pass (mlp_forward in inference mode: no dropout) at the centre of
// one grid cell per fragment, coloured with diverging() from colormap.glsl.
//
// Params (R32F, 64 texels a row) holds the parameters in torch's
// parameters() order, as mlp_flatten: W1 (n1×n0, row-major), b1, W2, b2, ….
// The fragment's raw input is Lo + Frag_UV·(Hi − Lo); the network sees it
// scaled as the training data was, x̂ = (x − Shift)/Scale. The field is the
// output unit `Output` minus Threshold (½ for probabilities), over ±VMax.
uniform highp sampler2D Params;
uniform int Layers;      // weight layers, 1 … 9
uniform int Sizes[10];   // units per layer; Sizes[0] = 2 (the plane's inputs)
uniform int Acts[9];     // per weight layer, mlp_net.h's Act: 0 sigmoid, 1 tanh,
                         // 2 relu, 3 leaky_relu, 4 linear, 5 softmax
uniform vec2 Lo;
uniform vec2 Hi;
uniform vec2 Shift;
uniform vec2 Scale;
uniform int Output;
uniform float Threshold;
uniform float VMax;
in vec2 Frag_UV;
out vec4 Out_Color;

const int kMaxUnits = 16;  // MlpLimits::kMaxUnits and kMaxOutputs

float param(int i) {
  return texelFetch(Params, ivec2(i % 64, i / 64), 0).r;
}

float activate(int act, float z) {
  if (act == 0) return 1.0 / (1.0 + exp(-z));
  // tanh saturates to ±1 in float well before ±15; some GPUs' tanh turns
  // exp's overflow into NaN beyond it.
  if (act == 1) return tanh(clamp(z, -15.0, 15.0));
  if (act == 2) return max(z, 0.0);
  if (act == 3) return z > 0.0 ? z : 0.01 * z;
  return z;  // linear (softmax normalises the whole layer below)
}

void main() {
  float a[kMaxUnits];
  float z[kMaxUnits];
  vec2 x = (Lo + Frag_UV * (Hi - Lo) - Shift) / Scale;
  a[0] = x.x;
  a[1] = x.y;
  int off = 0;  // first parameter of layer l
  int act = 4;
  int n = 2;
  for (int l = 0; l < 9; ++l) {
    if (l >= Layers) break;
    int nin = Sizes[l];
    n = Sizes[l + 1];
    act = Acts[l];
    int bias = off + n * nin;
    for (int j = 0; j < kMaxUnits; ++j) {
      if (j >= n) break;
      float s = 0.0;
      for (int i = 0; i < kMaxUnits; ++i) {
        if (i >= nin) break;
        s += param(off + j * nin + i) * a[i];
      }
      z[j] = s + param(bias + j);
    }
    for (int j = 0; j < kMaxUnits; ++j) {
      if (j >= n) break;
      a[j] = activate(act, z[j]);
    }
    off = bias + n;
  }
  float y = a[Output];
  if (act == 5) {  // softmax: exp(z_o − max) / Σ exp(z_j − max)
    float m = z[0];
    for (int j = 1; j < kMaxUnits; ++j) {
      if (j >= n) break;
      m = max(m, z[j]);
    }
    float sum = 0.0;
    for (int j = 0; j < kMaxUnits; ++j) {
      if (j >= n) break;
      sum += exp(z[j] - m);
    }
    y = exp(z[Output] - m) / sum;
  }
  float f = y - Threshold;
  // As the CPU field: a value that is not finite is drawn as 0.
  if (isnan(f) || isinf(f)) f = 0.0;
  Out_Color = vec4(diverging(f / VMax), 1.0);
}
