// Fragment stage for value fields (feature maps; later the SVM decision
// field): the texture holds the value in .r and a "not computed yet" flag in
// .g; the value is coloured with diverging() from colormap.glsl, ±VMax.
uniform sampler2D Field;
uniform float VMax;
uniform vec4 PendingColor;
in vec2 Frag_UV;
in vec4 Frag_Color;
out vec4 Out_Color;

void main() {
  vec2 texel = texture(Field, Frag_UV).rg;
  if (texel.g > 0.5) {
    Out_Color = PendingColor;
    return;
  }
  Out_Color = vec4(diverging(texel.r / VMax), 1.0) * Frag_Color;
}
