// The one place that picks the OpenGL flavour: WebGL2 (GLES 3.0) in the
// browser, desktop OpenGL 3.3 core natively, and the GLSL #version to match.
#pragma once
#ifdef __EMSCRIPTEN__
#include <GLES3/gl3.h>
#define STEPWISE_GLSL_HEADER "#version 300 es\nprecision highp float;\n"
#else
#define GL_GLEXT_PROTOTYPES 1
#include <GL/gl.h>
#include <GL/glext.h>
#define STEPWISE_GLSL_HEADER "#version 330 core\n"
#endif
