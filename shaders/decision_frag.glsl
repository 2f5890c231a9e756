// Fragment stage for the SVM's decision field f(x) = w·x + b. Frag_UV carries
// the data coordinates of the fragment relative to the window's centre (so
// float precision is spent where the window is); B already includes w·centre.
// The value is coloured with diverging() from colormap.glsl over ±VMax and
// mixed into the background by Strength, so points drawn on top stay legible.
uniform vec2 W;
uniform float B;
uniform float VMax;
uniform float Strength;
uniform vec3 Background;
in vec2 Frag_UV;
in vec4 Frag_Color;
out vec4 Out_Color;

void main() {
  float f = dot(W, Frag_UV) + B;
  vec3 c = mix(Background, diverging(f / VMax), Strength);
  Out_Color = vec4(c, 1.0) * Frag_Color;
}
