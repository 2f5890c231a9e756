// Vertex stage for grids rendered off screen, one fragment per cell: one
// triangle covering the viewport (no vertex buffer: positions from
// gl_VertexID), Frag_UV ∈ [0, 1]² across the viewport.
out vec2 Frag_UV;
void main() {
  vec2 p = vec2(gl_VertexID == 1 ? 3.0 : -1.0, gl_VertexID == 2 ? 3.0 : -1.0);
  Frag_UV = 0.5 * p + 0.5;
  gl_Position = vec4(p, 0.0, 1.0);
}
