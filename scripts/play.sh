#!/usr/bin/env bash
# Builds the playground and serves it on 127.0.0.1 (prints the URL).
#   scripts/play.sh            the web playground at http://127.0.0.1:8080/
#   scripts/play.sh --port N   another port
#   scripts/play.sh --native   build and open the native desktop app instead
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
native=0 port=8080
while [ $# -gt 0 ]; do
  case "$1" in
    --native) native=1 ;;
    --port) port="$2"; shift ;;
    *) echo "usage: scripts/play.sh [--native] [--port N]" >&2; exit 2 ;;
  esac
  shift
done
bash scripts/deps.sh
if [ "$native" = 1 ]; then
  cmake --preset native >/dev/null
  cmake --build --preset native --target stepwise
  exec build/native/stepwise
fi
export NODE_PATH=/usr/share/nodejs
cmake --preset web >/dev/null
cmake --build --preset web --target site   # the site only: no tests, no benchmarks
exec python3 scripts/serve.py dist "$port"
