#!/usr/bin/env bash
# Installs what libwebrtc-node needs on Debian 12 when it is missing, then builds what is stale:
#   1. Debian packages (libtgowt-dev, libpulse-dev, cmake, g++; with --browser also chromium,
#      with --devices the virtual devices the device tests start: Xvfb with xterm windows and
#      a user-mode PulseAudio; with --network the TURN server and network tools the fault and
#      TURN tests start: coturn, iproute2 (ip netns, tc), python3 (the impaired wire), openssl;
#      with --fuzz clang and its libFuzzer and sanitizer runtimes),
#   2. npm dependencies (npm ci; in a clone only),
#   3. the native addon (cmake-js, into build/Release/),
#   4. the TypeScript (tsc, into dist/; in a clone only: the package npm installs has it built).
# Quick when nothing is missing. Used by `npm run demo`, `npm test` and `npm run bench`.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*" >&2; }

packages=(libtgowt-dev libpulse-dev cmake g++ make pkg-config)
for arg in "$@"; do
  case "$arg" in
    --browser) packages+=(chromium) ;;
    --devices) packages+=(xvfb xterm x11-utils pulseaudio pulseaudio-utils) ;;
    --network) packages+=(coturn iproute2 python3 openssl) ;;
    --fuzz) packages+=(clang libclang-rt-14-dev) ;;
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

# A clone has lib/ and package-lock.json; the package as npm installs it (a source build of an
# installed package) has neither: its dependencies are the application's, its dist/ is built,
# and cmake-js (a development dependency) comes through npx.
clone=false
[ -f package-lock.json ] && [ -d lib ] && clone=true

if $clone && { [ ! -d node_modules ] || newer package-lock.json node_modules/.package-lock.json; }; then
  say "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund >&2
fi

cmake_js=(npx cmake-js)
$clone || cmake_js=(npx --yes cmake-js@8)
addon=build/Release/libwebrtc_node.node
if [ -z "${LIBWEBRTC_NODE_BINARY:-}" ] && { newer native "$addon" || newer CMakeLists.txt "$addon"; }; then
  say "building the native addon (a few minutes the first time)"
  "${cmake_js[@]}" compile --CDCMAKE_BUILD_TYPE=Release --parallel "$(nproc)" >&2
fi

if $clone && { newer lib dist/index.mjs || newer tsconfig.json dist/index.mjs || newer "$addon" dist/index.mjs; }; then
  say "compiling TypeScript"
  npm run --silent build:ts >&2
fi
