#!/usr/bin/env bash
# Builds our native code with AddressSanitizer (into build-asan/) and runs the Node-to-Node test
# suite against it, failing on any ASan report. libtgowt itself is not instrumented (Debian's
# archive); our code, its calls into libwebrtc and every object we hand across are.
#
# Node is not instrumented, so the ASan runtime is preloaded. Leak detection is off: V8 and
# Node keep memory until exit by design; leaks of ours are caught by the lifecycle tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if ! dpkg-query -W -f='${Status}' libasan8 2>/dev/null | grep -q 'install ok installed'; then
  sudo=(); [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq libasan8 >&2
fi
addon=build-asan/Release/libwebrtc_node.node
if [ ! -e "$addon" ] || [ -n "$(find native CMakeLists.txt -newer "$addon" -print -quit)" ]; then
  npx cmake-js compile --out build-asan --CDCMAKE_BUILD_TYPE=Release --CDLWN_ASAN=ON \
    --parallel "$(nproc)" >&2
fi
npm run --silent build:test
log=$(mktemp -d)/asan
export LIBWEBRTC_NODE_BINARY=$PWD/$addon
export LD_PRELOAD=$(gcc -print-file-name=libasan.so)
export ASAN_OPTIONS="detect_leaks=0:log_path=$log:abort_on_error=0:halt_on_error=1"
# The browser interop tests and the type check add nothing under ASan.
npx mocha --exclude 'dist-test/test/interop/**' --exclude 'dist-test/test/types.test.js'
unset LD_PRELOAD
if ls "$log".* >/dev/null 2>&1; then
  echo "AddressSanitizer reported:" >&2
  cat "$log".* >&2
  exit 1
fi
echo "asan: the suite ran with nothing reported" >&2
