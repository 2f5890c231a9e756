#!/usr/bin/env bash
# Fails when a C++ file of the project is not formatted by the committed
# .clang-format (Debian's clang-format 14), naming each one and the command
# that fixes it. ctest runs it as `format`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bad=()
while IFS= read -r f; do
  [ -f "$f" ] || continue
  clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done < <(git ls-files --cached --others --exclude-standard -- '*.cpp' '*.h')
if [ ${#bad[@]} -gt 0 ]; then
  echo "not formatted by .clang-format (${#bad[@]} files):"
  printf '  %s\n' "${bad[@]}"
  echo "fix with: clang-format -i ${bad[*]}"
  exit 1
fi
echo "format: every C++ file is formatted"
