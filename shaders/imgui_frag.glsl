// Fragment stage of ImGui's draw lists: the vertex colour times the bound
// texture (the font atlas, or a field's texture drawn with AddImage).
uniform sampler2D Texture;
in vec2 Frag_UV;
in vec4 Frag_Color;
out vec4 Out_Color;
void main() {
  Out_Color = Frag_Color * texture(Texture, Frag_UV.st);
}
