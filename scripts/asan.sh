#!/usr/bin/env bash
# The sanitizer run (npm run test:asan): builds our native code with AddressSanitizer and
# UndefinedBehaviorSanitizer (one build, -DLWN_ASAN=ON, into build-asan/) and runs the
# Node-to-Node test suite against it — media and the device tests included; left out, as they
# add nothing here: the browser interop tests, the type check and the prebuild tests (they
# rebuild build/Release and package the release binary, not this one) — then
# scripts/sanitizer-report.js reads every process's reports and fails the run on:
#   - any AddressSanitizer error (the process aborts at the first one);
#   - any UndefinedBehaviorSanitizer report (the sanitizer's default set, vptr included, plus
#     float-divide-by-zero and float-cast-overflow; reports are logged and the run goes on, so
#     one run shows them all);
#   - any leak LeakSanitizer finds at a process's exit whose allocation stack has a frame of
#     ours (native/) or that was allocated inside our .node: our objects, and libwebrtc's
#     objects we had it create and never released.
# libtgowt itself is not instrumented (Debian's archive): our code, library header code compiled
# into it, its calls into libwebrtc and every object we hand across are.
#
# Node is not instrumented, so the ASan runtime is preloaded (first, as it must be); the UBSan
# runtime is linked into the .node, hidden (CMakeLists.txt says why), and writes its own logs.
# Node and V8 keep memory until exit by design, so every Node process reports leaks: those
# allocated outside our .node with no frame of ours, and the Node bookkeeping our calls make
# (napi_create_external's wrapper, V8's remembered sets), are counted by allocating module and
# ignored; a leak allocated inside the .node fails the run even when the frame-pointer stack
# stops before our frames (libwebrtc's code there runs only at our request).
# LeakSanitizer runs at exit (process.exit() included; a process killed by a signal is not
# checked); exitcode=0 keeps its reports from changing exit codes the tests check, and
# abort_on_error=1 still stops a process at an ASan error. Every child process inherits the
# instrumentation (fixtures, workers' processes) and writes its own log files — except the
# device tests' programs (Xvfb, xterm, PulseAudio), which test/device-env.ts starts without it.
set -euo pipefail
cd "$(dirname "$0")/.."
addon=build-asan/Release/libwebrtc_node.node
# setup.sh first, without the instrumented binary: compiling the TypeScript loads the package
# (scripts/write-esm.js reads its exports), which the instrumented binary cannot do without
# the preloaded runtime (it aborts: "ASan runtime does not come first").
bash scripts/setup.sh
export LIBWEBRTC_NODE_BINARY=$PWD/$addon
missing=()
for p in libasan8 libubsan1; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=(); [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >&2
fi
if [ ! -e "$addon" ] || [ -n "$(find native CMakeLists.txt -newer "$addon" -print -quit)" ]; then
  npx cmake-js compile --out build-asan --CDCMAKE_BUILD_TYPE=Release --CDLWN_ASAN=ON \
    --parallel "$(nproc)" >&2
fi
npm run --silent build:test
log=$(mktemp -d)
started=$(date +%s)
status=0
(
  export LD_PRELOAD=$(gcc -print-file-name=libasan.so)
  # Each process writes <log>/asan.<program>.<pid> and <log>/ubsan.<program>.<pid>.
  export ASAN_OPTIONS="detect_leaks=1:malloc_context_size=64:log_path=$log/asan:log_exe_name=1:halt_on_error=1:abort_on_error=1:exitcode=0"
  export UBSAN_OPTIONS="print_stacktrace=1:report_error_type=1:halt_on_error=0:log_path=$log/ubsan:log_exe_name=1"
  exec node_modules/.bin/mocha --exclude 'dist-test/test/interop/**' --exclude 'dist-test/test/types.test.js' \
    --exclude 'dist-test/test/prebuild.test.js'
) || status=$?
echo "sanitizers: the suite took $(( $(date +%s) - started )) s and exited with status $status" >&2
report=0
node scripts/sanitizer-report.js "$log" "$PWD" || report=$?
if [ "$status" -ne 0 ] || [ "$report" -ne 0 ]; then
  [ "$status" -ne 0 ] && echo "sanitizers: the test suite failed (status $status)" >&2
  exit 1
fi
rm -rf "$log"
