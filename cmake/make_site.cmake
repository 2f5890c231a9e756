# Assembles the self-contained static site in dist/: the page, the web/
# assets and the built module (.js, .wasm, .data with the fonts).
file(REMOVE_RECURSE "${OUT}")
file(MAKE_DIRECTORY "${OUT}")
file(COPY "${SRC}/index.html" DESTINATION "${OUT}")
# web/package/ holds the npm package's own files (scripts/package.sh), not the site's.
file(COPY "${SRC}/web/" DESTINATION "${OUT}" PATTERN package EXCLUDE)
foreach(f stepwise-engine.js stepwise-engine.wasm stepwise-engine.data)
  file(COPY "${BIN}/${f}" DESTINATION "${OUT}")
endforeach()
