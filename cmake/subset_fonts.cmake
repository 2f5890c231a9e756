# Subsets the two UI fonts to the glyphs the interface draws, for the web
# build (the desktop app reads the system's fonts whole). The ranges come from
# engine/shell/glyph_ranges.h, the list fonts.cpp builds the atlas from.
# Layout tables and hinting go too: ImGui neither shapes nor hints.
#   cmake -DHEADER=… -DINTER=… -DMONO=… -DOUT_DIR=… -P subset_fonts.cmake
file(READ "${HEADER}" text)
# Every hex number in the header, in order, pairs up as (first, last).
string(REGEX MATCHALL "0x[0-9A-Fa-f]+" nums "${text}")
list(LENGTH nums n)
math(EXPR odd "${n} % 2")
if(odd)
  message(FATAL_ERROR "subset_fonts: ${HEADER} has an odd count of range bounds")
endif()
set(unicodes "")
set(i 0)
while(i LESS n)
  math(EXPR j "${i} + 1")
  list(GET nums ${i} lo)
  list(GET nums ${j} hi)
  string(REPLACE "0x" "" lo "${lo}")
  string(REPLACE "0x" "" hi "${hi}")
  list(APPEND unicodes "U+${lo}-${hi}")
  math(EXPR i "${i} + 2")
endwhile()
list(JOIN unicodes "," unicodes)
if(unicodes STREQUAL "")
  message(FATAL_ERROR "subset_fonts: no ranges found in ${HEADER}")
endif()
file(MAKE_DIRECTORY "${OUT_DIR}")
foreach(pair "${INTER}|Inter-Regular.otf" "${MONO}|DejaVuSansMono.ttf")
  string(REPLACE "|" ";" pair "${pair}")
  list(GET pair 0 src)
  list(GET pair 1 name)
  execute_process(
    COMMAND /usr/bin/python3 -m fontTools.subset "${src}" "--unicodes=${unicodes}"
            "--output-file=${OUT_DIR}/${name}" --layout-features= --no-hinting --desubroutinize
    RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "subset_fonts: fontTools.subset failed on ${src}: ${err}")
  endif()
endforeach()
