// Fragment stage for the optimizer lesson's loss surfaces: f is evaluated at
// every fragment (Frag_UV = the fragment's (x, y), or (w, b) for regression),
// so contours are exact at any zoom and at 2×. The colour is sequential() of
// log10(f − FMin + Floor) over [LogLo, LogHi]; contour lines sit every
// LevelStep decades, drawn one pixel wide with fwidth().
//   Kind 0 quadratic   f = ½(a·x² + 2b·xy + c·y²)                  P = (a, b, c, 0)
//   Kind 1 rosenbrock  f = (p − x)² + q·(y − x²)²                   P = (p, q, 0, 0)
//   Kind 2 beale       f = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²
//   Kind 3 himmelblau  f = (x² + y − 11)² + (x + y² − 7)²
//   Kind 4 saddle      f = x² + y⁴/4 − y²/2
//   Kind 5 regression  f = mean (w·xᵢ + b − yᵢ)² from the data's centred
//                      moments (u = x − x̄, v = y − ȳ; float32 keeps them apart):
//                      f = w²·P.x − 2w·P.y + P.z + (w·x̄ + b − ȳ)²,
//                      P = (Σu², Σuv, Σv²) / n, Q = (x̄, ȳ)
// LinesOnly draws only the contour lines (the current mini-batch's own
// surface, overlaid on the full-data one).
uniform int Kind;
uniform vec4 P;
uniform vec4 Q;
uniform float FMin;
uniform float Floor;
uniform float LogLo;
uniform float LogHi;
uniform float LevelStep;
uniform vec3 LineColor;
uniform int LinesOnly;
in vec2 Frag_UV;
in vec4 Frag_Color;
out vec4 Out_Color;

float surface(vec2 v) {
  float x = v.x, y = v.y;
  if (Kind == 0) return 0.5 * (P.x * x * x + 2.0 * P.y * x * y + P.z * y * y);
  if (Kind == 1) return (P.x - x) * (P.x - x) + P.y * (y - x * x) * (y - x * x);
  if (Kind == 2) {
    float a = 1.5 - x + x * y, b = 2.25 - x + x * y * y, c = 2.625 - x + x * y * y * y;
    return a * a + b * b + c * c;
  }
  if (Kind == 3) {
    float a = x * x + y - 11.0, b = x + y * y - 7.0;
    return a * a + b * b;
  }
  if (Kind == 4) return x * x + 0.25 * y * y * y * y - 0.5 * y * y;
  // (w, b) = (x, y)
  float c = x * Q.x + y - Q.y;
  return max(x * x * P.x - 2.0 * x * P.y + P.z, 0.0) + c * c;
}

void main() {
  float f = surface(Frag_UV);
  float u = log(max(f - FMin, 0.0) + Floor) / log(10.0);
  vec3 c = sequential((u - LogLo) / max(LogHi - LogLo, 1e-6));
  float level = u / LevelStep;
  float d = abs(fract(level - 0.5) - 0.5) / max(fwidth(level), 1e-6);
  float line = 1.0 - min(d, 1.0);
  if (LinesOnly != 0)
    Out_Color = vec4(LineColor, 0.9 * line) * Frag_Color;
  else
    Out_Color = vec4(mix(c, LineColor, 0.55 * line), 1.0) * Frag_Color;
}
