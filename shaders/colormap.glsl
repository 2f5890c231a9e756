// The diverging colour scale of every map, for fragment shaders (prepended
// to them by engine/gpu): blue (negative) – white (zero) – red (positive),
// the same ColorBrewer RdBu stops as engine/shell/colormap.cpp; with Dark = 1
// (the dark theme) its dark stops — a dark neutral zero, brighter and more
// saturated towards ±1 — as there. t in [−1, 1].
uniform int Dark;

vec3 diverging(float t) {
  vec3 s0 = vec3(33.0, 102.0, 172.0) / 255.0;
  vec3 s1 = vec3(103.0, 169.0, 207.0) / 255.0;
  vec3 s2 = vec3(247.0, 247.0, 247.0) / 255.0;
  vec3 s3 = vec3(239.0, 138.0, 98.0) / 255.0;
  vec3 s4 = vec3(178.0, 24.0, 43.0) / 255.0;
  if (Dark != 0) {
    s0 = vec3(90.0, 160.0, 240.0) / 255.0;
    s1 = vec3(48.0, 92.0, 142.0) / 255.0;
    s2 = vec3(58.0, 61.0, 68.0) / 255.0;
    s3 = vec3(150.0, 66.0, 50.0) / 255.0;
    s4 = vec3(240.0, 96.0, 72.0) / 255.0;
  }
  float u = (clamp(t, -1.0, 1.0) + 1.0) * 2.0;  // 0..4
  if (u < 1.0) return mix(s0, s1, u);
  if (u < 2.0) return mix(s1, s2, u - 1.0);
  if (u < 3.0) return mix(s2, s3, u - 2.0);
  return mix(s3, s4, min(u - 3.0, 1.0));
}

// The sequential scale of loss surfaces (low = dark blue, high = pale
// yellow; viridis's stops, as engine/shell/colormap.cpp). t in [0, 1].
vec3 sequential(float t) {
  const vec3 s0 = vec3(68.0, 1.0, 84.0) / 255.0;
  const vec3 s1 = vec3(59.0, 82.0, 139.0) / 255.0;
  const vec3 s2 = vec3(33.0, 145.0, 140.0) / 255.0;
  const vec3 s3 = vec3(94.0, 201.0, 98.0) / 255.0;
  const vec3 s4 = vec3(253.0, 231.0, 37.0) / 255.0;
  float u = clamp(t, 0.0, 1.0) * 4.0;
  if (u < 1.0) return mix(s0, s1, u);
  if (u < 2.0) return mix(s1, s2, u - 1.0);
  if (u < 3.0) return mix(s2, s3, u - 2.0);
  return mix(s3, s4, u - 3.0);
}
