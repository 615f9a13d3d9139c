// Libraries libwebrtc calls into that the .node does not link: loaded at run time, on first
// use, so that the package loads on a machine without them (a server with no X11, no ffmpeg)
// and only the feature that needs one fails, with a clear error.
//
//   X11     libX11 and its extensions: screen and window capture (libwebrtc's X11 capturer)
//   GLIB    GLib, GObject, GIO: the xdg-desktop-portal screen capture under Wayland
//   FFMPEG  libavcodec and libavutil of Debian 12's ffmpeg 5.1 (exactly those majors: libwebrtc
//           reads their structures): H.264 decoding
//
// Each function of theirs that the link needs (lazy_symbols.inc) is a trampoline of ours
// (lazy_trampolines.S) that jumps through a table. An entry starts out pointing at a resolver,
// which loads the function's group (once, on whatever thread calls first) and fills the
// group's entries; if the group cannot be loaded, it names the function and the library and
// stops the process (libwebrtc cannot go on without it). The package's own entry points ask
// Load() first and turn a failure into an error for JavaScript, so that stop is never reached
// from the API. PulseAudio is loaded the same way in spirit by devices/pulse_audio.cc.
#ifndef LWN_RUNTIME_LAZY_LIBRARIES_H_
#define LWN_RUNTIME_LAZY_LIBRARIES_H_

#include <string>

namespace lwn {

enum class LazyGroup { kX11, kGlib, kFfmpeg };

// Any thread: loads the group (the first call does; later ones return what it found). False
// with `error` (what dlopen said, and which package provides it) when it cannot be loaded.
bool LoadLazyGroup(LazyGroup group, std::string* error = nullptr);

// Any thread: whether the group is loaded, without trying.
bool LazyGroupLoaded(LazyGroup group);

// The group's name and libraries, for messages.
const char* LazyGroupDescription(LazyGroup group);

}  // namespace lwn

#endif  // LWN_RUNTIME_LAZY_LIBRARIES_H_
