# Assembles the self-contained static site in dist/: the page, the web/
# assets and the built module (.js, .wasm, .data with the fonts).
file(REMOVE_RECURSE "${OUT}")
file(MAKE_DIRECTORY "${OUT}")
file(COPY "${SRC}/index.html" DESTINATION "${OUT}")
file(COPY "${SRC}/web/" DESTINATION "${OUT}")
foreach(f stepwise-engine.js stepwise-engine.wasm stepwise-engine.data)
  file(COPY "${BIN}/${f}" DESTINATION "${OUT}")
endforeach()
