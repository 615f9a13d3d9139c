#!/usr/bin/env bash
# Installs what libwebrtc-node needs on Debian 12 when it is missing, then builds what is stale:
#   1. Debian packages (libtgowt-dev, libpulse-dev, cmake, g++; with --browser also chromium,
#      with --devices the virtual devices the device tests start: Xvfb with xterm windows and
#      a user-mode PulseAudio),
#   2. npm dependencies (npm ci),
#   3. the native addon (cmake-js, into build/Release/),
#   4. the TypeScript (tsc, into dist/).
# Quick when nothing is missing. Used by `npm run demo`, `npm test` and `npm run bench`.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*" >&2; }

packages=(libtgowt-dev libpulse-dev cmake g++ make pkg-config)
for arg in "$@"; do
  case "$arg" in
    --browser) packages+=(chromium) ;;
    --devices) packages+=(xvfb xterm x11-utils pulseaudio pulseaudio-utils) ;;
    *) say "unknown option $arg"; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# newer A B: true when file A is newer than B or B is missing.
newer() { [ ! -e "$2" ] || [ -n "$(find "$1" -newer "$2" -print -quit 2>/dev/null)" ]; }

if [ ! -d node_modules ] || newer package-lock.json node_modules/.package-lock.json; then
  say "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund >&2
fi

addon=build/Release/libwebrtc_node.node
if [ -z "${LIBWEBRTC_NODE_BINARY:-}" ] && { newer native "$addon" || newer CMakeLists.txt "$addon"; }; then
  say "building the native addon (a few minutes the first time)"
  npx cmake-js compile --CDCMAKE_BUILD_TYPE=Release --parallel "$(nproc)" >&2
fi

if newer lib dist/index.mjs || newer tsconfig.json dist/index.mjs || newer "$addon" dist/index.mjs; then
  say "compiling TypeScript"
  npm run --silent build:ts >&2
fi
