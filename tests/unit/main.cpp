// The engine's unit tests: built natively and as WebAssembly (run under Node
// by ctest), so the browser's arithmetic is tested too.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
