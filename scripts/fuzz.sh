#!/usr/bin/env bash
# Fuzzing (npm run fuzz, npm run fuzz:long): builds the libFuzzer targets of fuzz/ with clang++
# (ASan + UBSan + LeakSanitizer over our code; see fuzz/README.md) into build-fuzz/,
# incrementally, and runs each:
#   sdp_fuzzer        a remote description through our parse step (native/peer/sdp_input.h)
#                     and libwebrtc's serializer, as setRemoteDescription and remoteDescription
#   candidate_fuzzer  a candidate string through our parse step, as addIceCandidate
#   pc_fuzzer         a remote offer applied to a real PeerConnection, answered, rolled back
#
#   scripts/fuzz.sh                 each target for 30 s (CI)
#   scripts/fuzz.sh --long          each target for 1,000,000 inputs (--runs N: N inputs)
#   scripts/fuzz.sh --time 300      each target for 300 s
#   scripts/fuzz.sh --build-only    build, run nothing
#   scripts/fuzz.sh [options] sdp_fuzzer candidate_fuzzer   only those targets
#
# LeakSanitizer: the parse targets check every input that allocates more than it frees (the
# input that leaks is saved); pc_fuzzer checks once, at exit — its connection keeps state from
# input to input, and a leak check per input would make it 25 times slower — and a leak there
# comes with its allocation stack but no input.
#
# Seeds stay in fuzz/corpus/<sdp|candidate>/ (read only); what the fuzzer finds new goes into
# build-fuzz/corpus-<target>/, which the next run starts from. Exits non-zero if any target
# crashes, leaks, hits undefined behaviour, times out or runs out of memory; the input is saved
# as build-fuzz/<crash|leak|timeout|oom>-<target>-<hash> and its path printed. Reproduce with
# `build-fuzz/<target> <file>` (LWN_FUZZ_VERBOSE=1 prints what each input did).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=$root/build-fuzz

say() { printf 'fuzz: %s\n' "$*" >&2; }

mode=time
seconds=30
runs=1000000
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --long) mode=runs ;;
    --time) mode=time; seconds=$2; shift ;;
    --build-only) mode=build ;;
    --runs) mode=runs; runs=$2; shift ;;
    sdp_fuzzer|candidate_fuzzer|pc_fuzzer) targets+=("$1") ;;
    *) say "unknown argument $1 (see the top of scripts/fuzz.sh)"; exit 2 ;;
  esac
  shift
done
[ ${#targets[@]} -gt 0 ] || targets=(sdp_fuzzer candidate_fuzzer pc_fuzzer)

cxx=${LWN_FUZZ_CXX:-clang++}
if ! command -v "$cxx" >/dev/null; then
  say "$cxx not found: install clang and libclang-rt-14-dev (bash scripts/setup.sh --fuzz)"
  exit 2
fi
if ! echo 'extern "C" int LLVMFuzzerTestOneInput(const char*, unsigned long) { return 0; }' |
    "$cxx" -x c++ - -fsanitize=fuzzer,address,undefined -o /dev/null 2>/dev/null; then
  say "$cxx cannot link a libFuzzer target: install libclang-rt-14-dev (bash scripts/setup.sh --fuzz)"
  exit 2
fi

# Configure once (CMake reconfigures by itself when fuzz/CMakeLists.txt changes), then build
# what is stale.
if [ ! -f "$out/CMakeCache.txt" ]; then
  generator=()
  command -v ninja >/dev/null && generator=(-G Ninja)
  cmake -S fuzz -B "$out" "${generator[@]}" -DCMAKE_CXX_COMPILER="$cxx" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >&2
fi
cmake --build "$out" --parallel "$(nproc)" --target "${targets[@]}" >&2
[ "$mode" = build ] && exit 0

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

failed=0
summary=()
for target in "${targets[@]}"; do
  case "$target" in
    sdp_fuzzer) seeds=sdp; dict=sdp.dict; max_len=16384; leaks=1 ;;
    pc_fuzzer) seeds=sdp; dict=sdp.dict; max_len=16384; leaks=0 ;;  # at exit only (above)
    candidate_fuzzer) seeds=candidate; dict=candidate.dict; max_len=1024; leaks=1 ;;
  esac
  corpus=$out/corpus-$target
  mkdir -p "$corpus"
  limit=(-max_total_time="$seconds")
  if [ "$mode" = runs ]; then limit=(-runs="$runs"); fi
  log=$out/$target.log
  say "$target: ${limit[*]} (log: build-fuzz/$target.log)"
  start=$(date +%s)
  set +e
  # -timeout: one input taking 25 s is a hang. -rss_limit_mb: the sanitizers' own memory
  # (shadow, quarantine) is counted, and a real PeerConnection is big.
  "$out/$target" "${limit[@]}" -dict="fuzz/$dict" -max_len="$max_len" -timeout=25 \
    -detect_leaks="$leaks" -rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix="$out/" \
    "$corpus" "fuzz/corpus/$seeds" >"$log" 2>&1
  rc=$?
  set -e
  elapsed=$(($(date +%s) - start))
  # libFuzzer's final statistics and last status line.
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  status=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\) ft: \([0-9]*\) corp: \([0-9]*\)\/.*/cov \1, features \2, corpus \3/p' <<<"$status")
  counts=$(grep -E "^$target: [0-9]+ inputs" "$log" | tail -1 | sed "s/^$target: //" || true)
  line="$target: ${execs:-?} inputs in ${elapsed} s (${rate:-?}/s), ${cov:-no coverage line}"
  [ -n "$counts" ] && line="$line; $counts"
  if [ $rc -ne 0 ]; then
    failed=1
    artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
    kind=$(grep -m1 -oE 'ERROR: (AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|libFuzzer): [^ ]+( [^ ]+)?|runtime error: .*|Check failed: .*|Fatal error in: .*' "$log" || true)
    if [ -n "$artifact" ] && [ -f "$artifact" ]; then
      # crash-<hash> -> crash-<target>-<hash>, so that targets' findings are told apart.
      named=$(dirname "$artifact")/$(basename "$artifact" | sed "s/^\([a-z-]*\)-/\1-$target-/")
      mv "$artifact" "$named"
      artifact=$named
    fi
    line="$line — FAILED (exit $rc): ${kind:-see the log}; input: ${artifact:-none saved}"
    say "$target failed; the report:"
    grep -E -A40 '^==[0-9]+==ERROR|runtime error|Fatal error in|Check failed' "$log" | head -60 >&2 || true
    say "input saved as ${artifact:-(none)}; reproduce with: build-fuzz/$target ${artifact:-<input>}"
  fi
  summary+=("$line")
  say "$line"
done

say "summary:"
for line in "${summary[@]}"; do say "  $line"; done
exit $failed
