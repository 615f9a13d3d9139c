#!/usr/bin/env node
// Reads the sanitizer logs of one scripts/asan.sh run (every process of the run writes its own
// files into one directory: asan.<program>.<pid> from AddressSanitizer and its LeakSanitizer,
// ubsan.<program>.<pid> from UndefinedBehaviorSanitizer) and says what they found.
//
//   node scripts/sanitizer-report.js <log directory> [<source root>]
//
// Exits 1 on any AddressSanitizer error, any UndefinedBehaviorSanitizer report (only our
// objects are instrumented, so every one is in our code or in library header code compiled into
// it) and any leak whose allocation stack has a frame from our sources (<root>/native/): that
// includes libwebrtc objects created at our request and never released. Every other leak is
// Node's or V8's (uninstrumented, they keep memory until exit by design) or another program's:
// they are counted by the module allocating them, and do not fail the run.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const dir = process.argv[2];
const root = path.resolve(process.argv[3] ?? path.join(__dirname, '..'));
if (!dir) {
  console.error('usage: sanitizer-report.js <log directory> [<source root>]');
  process.exit(2);
}
const ours = `${root}/native/`;
const NODE = path.basename(process.execPath);
const ADDON = 'libwebrtc_node.node';

const FRAME = /^\s*#\d+ 0x[0-9a-f]+ /;
// Frames of the sanitizer runtimes themselves (the malloc and operator new interceptors).
const RUNTIME_FRAME = /libsanitizer\/|\/lib(asan|ubsan|lsan)\.so/;

/**
 * The module a stack frame is in: the object file the report names, or for a frame with a
 * source location (debug information: our .node, whose -g covers the libwebrtc and library
 * header code compiled into it; glibc's sources show as ../sysdeps) the one it must be in.
 */
function frameModule(frame) {
  const object = /\(([^()]+?)\+0x[0-9a-f]+\)\s*$/.exec(frame);
  if (object) return path.basename(object[1]);
  if (/\.\.\/sysdeps\/|libc_start/.test(frame)) return 'libc.so.6';
  if (/ \/\S+:\d+(:\d+)?\s*$/.test(frame)) return 'libwebrtc_node.node';
  return 'unknown';
}

/** Program name from a log file name (asan.<program>.<pid>). */
function programOf(file) {
  const parts = path.basename(file).split('.');
  return parts.length >= 3 ? parts.slice(1, -1).join('.') : '?';
}

/** Splits a leak report into its "Direct/Indirect leak of ..." blocks. */
function leakBlocks(text) {
  const blocks = [];
  let current = null;
  for (const line of text.split('\n')) {
    const head = /^(Direct|Indirect) leak of (\d+) byte\(s\) in (\d+) object\(s\)/.exec(line);
    if (head) {
      current = { kind: head[1], bytes: Number(head[2]), objects: Number(head[3]), lines: [line], frames: [] };
      blocks.push(current);
    } else if (current && FRAME.test(line)) {
      current.lines.push(line);
      current.frames.push(line);
    } else if (current && line.trim() !== '') {
      current = null;
    }
  }
  return blocks;
}

const failures = [];
const ignored = new Map(); // module -> { reports, bytes }
const ignoredPrograms = new Map();
let leakChecks = 0;

const files = fs.existsSync(dir)
  ? fs
      .readdirSync(dir)
      .filter((f) => /^(asan|ubsan)\./.test(f))
      .sort()
  : [];
for (const name of files) {
  const file = path.join(dir, name);
  const text = fs.readFileSync(file, 'utf8');
  const program = programOf(name);
  if (name.startsWith('ubsan.')) {
    // One report per "runtime error:" line, its stack below it.
    const reports = text.split(/\n(?=\S+: runtime error: )/).filter((r) => /runtime error:/.test(r));
    ubsanReports += reports.length;
    for (const r of reports) failures.push(`UndefinedBehaviorSanitizer (${program}, ${name}):\n${r.trim()}`);
    if (reports.length === 0 && text.trim())
      failures.push(`UndefinedBehaviorSanitizer output (${program}, ${name}):\n${text.trim()}`);
    continue;
  }
  // AddressSanitizer's file: errors (each fatal: the process stops there) and, at exit, one
  // LeakSanitizer report. Anything else it wrote (warnings, a leak check that could not run)
  // is shown and fails the run too: a silent sanitizer would look like a clean one.
  const sections = text.split(/(?=^==(?:[^=\n]+==)?\d+==ERROR: )/m);
  for (const section of sections) {
    if (!section.replace(/^=+$/gm, '').trim()) continue;
    if (/^==(?:[^=\n]+==)?\d+==ERROR: LeakSanitizer: detected memory leaks/.test(section)) {
      leakChecks++;
      for (const block of leakBlocks(section)) {
        const top = block.frames.find((f) => !RUNTIME_FRAME.test(f));
        let module = top ? frameModule(top) : 'unknown';
        if (module === ADDON) {
          // Allocated by code in our .node — ours, libwebrtc's or its libraries' — which runs
          // only at our request, whether or not the (frame-pointer) stack reaches our frames.
          failures.push(`LeakSanitizer, allocated in our .node (${program}, ${name}):\n${block.lines.join('\n')}`);
          continue;
        }
        if (block.frames.some((f) => f.includes(ours))) {
          // Memory Node or V8 allocates when we call them (napi_create_external's wrapper, V8's
          // remembered sets as we store into JS objects) is theirs: freed by garbage
          // collection and environment teardown, which process exit does not wait for.
          if (module !== NODE) {
            failures.push(`LeakSanitizer, in our code (${program}, ${name}):\n${block.lines.join('\n')}`);
            continue;
          }
          module = `${module} (called from our code)`;
        }
        const entry = ignored.get(module) ?? { reports: 0, bytes: 0, objects: 0 };
        entry.reports++;
        entry.bytes += block.bytes;
        entry.objects += block.objects;
        ignored.set(module, entry);
        ignoredPrograms.set(program, (ignoredPrograms.get(program) ?? 0) + 1);
      }
    } else {
      failures.push(`AddressSanitizer (${program}, ${name}):\n${section.trim()}`);
    }
  }
}

for (const failure of failures) console.error(`${failure}\n`);
const leakReports = [...ignored.values()].reduce((n, e) => n + e.reports, 0);
if (leakReports > 0) {
  const byModule = [...ignored.entries()]
    .sort((x, y) => y[1].reports - x[1].reports)
    .map(([m, e]) => `${m}: ${e.reports} (${e.objects} objects, ${e.bytes} bytes)`);
  const byProgram = [...ignoredPrograms.entries()].sort((x, y) => y[1] - x[1]).map(([p, n]) => `${p}: ${n}`);
  console.error(
    `sanitizers: ${leakReports} leak reports ignored, allocated outside our .node and (but for Node's own bookkeeping) with no frame of ours ` +
      `(from ${leakChecks} processes' exit leak checks)\n  by allocating module: ${byModule.join(', ')}\n  by program: ${byProgram.join(', ')}`,
  );
}
if (failures.length > 0) {
  console.error(`sanitizers: ${failures.length} report(s) failing the run (above; logs in ${dir})`);
  process.exit(1);
}
console.error(
  `sanitizers: no AddressSanitizer, UndefinedBehaviorSanitizer or LeakSanitizer report in our code (${files.length} log files)`,
);
