#!/usr/bin/env bash
# Installs everything Stepwise builds and tests with, only when missing:
# Debian packages, Dear ImGui's sources (from Debian's source package, into
# build/deps, never committed) and the npm test tooling (tests/browser, tests/package).
# Safe to run again; prints what it does.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
deps="$root/build/deps"
mkdir -p "$deps"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

packages=(
  cmake ninja-build clang lld clang-format
  libclang-rt-14-dev llvm-14             # sanitizers, libFuzzer, llvm-symbolizer (asan/fuzz presets)
  emscripten wabt                        # web build, wasm inspection
  libeigen3-dev doctest-dev nlohmann-json3-dev libstb-dev
  libglfw3-dev libgl-dev                 # native desktop app
  fonts-inter fonts-dejavu-core          # the UI fonts (subset into the site)
  python3-fonttools                      # the subsetting (cmake/subset_fonts.cmake)
  chromium xvfb xauth libgl1-mesa-dri    # browser and desktop tests
  python3-numpy python3-torch            # references: the Python exports, torch.optim (issue 12, 15)
  dpkg-dev xz-utils
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Dear ImGui: Debian's libimgui-dev ships no imgui.cpp, so take the source package.
imgui_dir="$deps/imgui"
if [ ! -f "$imgui_dir/imgui.cpp" ]; then
  echo "deps: fetching Dear ImGui sources from Debian's source package"
  tmp="$(mktemp -d)"
  sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources > "$tmp/src.sources"
  apt_src=(-o Dir::Etc::sourcelist="$tmp/src.sources" -o Dir::Etc::sourceparts=- -o APT::Get::List-Cleanup=0)
  as_root apt-get update -qq "${apt_src[@]}"
  (cd "$tmp" && apt-get source --download-only -qq "${apt_src[@]}" imgui >/dev/null)
  tar xf "$tmp"/imgui_*.orig.tar.* -C "$tmp"
  rm -rf "$imgui_dir" && mv "$tmp"/imgui-[0-9]* "$imgui_dir"
  rm -rf "$tmp"
fi

# Browser-test tooling: playwright-core drives Debian's chromium (no browser download).
if [ ! -d "$root/tests/browser/node_modules/playwright-core" ]; then
  echo "deps: npm install (tests/browser)"
  (cd "$root/tests/browser" && npm install --no-audit --no-fund --silent)
fi
# The npm package's type check: TypeScript, pinned by tests/package/package-lock.json.
if [ ! -d "$root/tests/package/node_modules/typescript" ]; then
  echo "deps: npm ci (tests/package)"
  (cd "$root/tests/package" && npm ci --no-audit --no-fund --silent)
fi
echo "deps: ready"
