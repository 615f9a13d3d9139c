#!/usr/bin/env bash
# Formatting and lint (npm run lint; npm run format rewrites instead of checking):
#   - native/: clang-format, Google style with 100 columns (.clang-format), the style of the
#     library we wrap;
#   - lib/, test/, bench/, examples/, scripts/: Biome (biome.json) formats and lints the
#     TypeScript and JavaScript.
# Installs clang-format (Debian's) when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
fix=false
[ "${1:-}" = "--fix" ] && fix=true

if ! command -v clang-format >/dev/null; then
  sudo=(); [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  echo "lint: installing clang-format" >&2
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends clang-format >&2
fi
[ -d node_modules/@biomejs/biome ] || npm ci --no-audit --no-fund >&2

mapfile -t native < <(git ls-files 'native/*.cc' 'native/*.h' 'fuzz/*.cc' 'bench/raw/*.cc')
if $fix; then
  clang-format -i "${native[@]}"
  npx biome format --write
  npx biome lint --write
else
  clang-format --dry-run -Werror "${native[@]}"
  npx biome format
  npx biome lint --error-on-warnings
fi
echo "lint: clean" >&2
