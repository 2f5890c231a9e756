// Vertex stage of ImGui's draw lists and of value fields drawn inside them:
// ImDrawVert (position, uv, colour) in screen coordinates, projected like
// ImGui's own. Fixed locations, so that a field's program
// (gl_use_with_imgui_vertices) and ImGui's (engine/gpu/imgui_gl.cpp) read the
// same three attributes of the same buffer.
uniform mat4 ProjMtx;
layout(location = 0) in vec2 Position;
layout(location = 1) in vec2 UV;
layout(location = 2) in vec4 Color;
out vec2 Frag_UV;
out vec4 Frag_Color;
void main() {
  Frag_UV = UV;
  Frag_Color = Color;
  gl_Position = ProjMtx * vec4(Position.xy, 0.0, 1.0);
}
