// ImGui's draw lists on OpenGL 3.3 core / WebGL2: the one renderer of the
// desktop app and the page.
//
//   imgui_gl_init();                 // after the GL context is current
//   imgui_gl_fonts();                // after (re)loading the fonts
//   …ImGui::Render(); imgui_gl_render(ImGui::GetDrawData());
//   imgui_gl_shutdown();             // also before re-initialising on a restored context
//
// Unlike ImGui's OpenGL3 backend it neither reads nor restores GL state: it
// sets everything it draws with at the start of each render, and nothing
// after it depends on what it leaves. In the browser each glGetIntegerv /
// glIsEnabled of that backend was a WebGL getParameter, 21 of them per frame,
// and together they took a third of the network lesson's drawing in Chromium
// (12 % of its live-training frame, training included).
#pragma once
#include <imgui.h>

namespace sw {

// Program, vertex array and buffers; false (and logged) if the shaders fail.
bool imgui_gl_init();
// The font atlas as a texture (again after fonts are rebuilt).
void imgui_gl_fonts();
void imgui_gl_render(const ImDrawData* dd);
void imgui_gl_shutdown();

}  // namespace sw
