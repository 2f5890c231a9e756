# Writes every shaders/*.glsl into one header as raw string literals, so the
# same GLSL text is compiled by WebGL2 and by desktop GL (engine/gpu adds the
# #version line for each).
file(GLOB files "${SHADER_DIR}/*.glsl")
list(SORT files)
set(text "// Generated from shaders/*.glsl by cmake/embed_shaders.cmake. Do not edit.\n#pragma once\n")
foreach(f ${files})
  get_filename_component(name "${f}" NAME_WE)
  string(MAKE_C_IDENTIFIER "${name}" ident)
  file(READ "${f}" body)
  string(APPEND text "static const char* const kShader_${ident} = R\"GLSL(${body})GLSL\";\n")
endforeach()
file(WRITE "${OUT}.tmp" "${text}")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
