#!/usr/bin/env bash
# Desktop smoke test under Xvfb: the app starts, renders frames with the
# large-map texture path too, writes a screenshot, exits 0.
# usage: smoke.sh STEPWISE_BINARY OUT.png
set -euo pipefail
app="$1"; out="$2"
rm -f "$out"
xvfb-run -a -s "-screen 0 1280x800x24" "$app" --screenshot "$out" --frames 20
test -s "$out" || { echo "no screenshot written"; exit 1; }
# Not blank: the PNG of a rendered UI is far larger than a flat colour.
size=$(stat -c %s "$out")
echo "screenshot $out: $size bytes"
test "$size" -gt 40000
