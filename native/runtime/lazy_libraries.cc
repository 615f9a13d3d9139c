#include "runtime/lazy_libraries.h"

#include <dlfcn.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <vector>

#if LWN_LAZY_LIBRARIES

extern "C" {
// lazy_trampolines.S
extern void* lwn_lazy_table[];
extern void* lwn_lazy_table_end[];
__attribute__((visibility("hidden"))) void* lwn_lazy_resolve(void** slot);
}

namespace lwn {
namespace {

struct Symbol {
  LazyGroup group;
  const char* name;
};

constexpr LazyGroup kGroupX11 = LazyGroup::kX11;
constexpr LazyGroup kGroupGLIB = LazyGroup::kGlib;
constexpr LazyGroup kGroupFFMPEG = LazyGroup::kFfmpeg;

const Symbol kSymbols[] = {
#define LWN_LAZY(group, name) {kGroup##group, #name},
#include "runtime/lazy_symbols.inc"
#undef LWN_LAZY
};
constexpr size_t kSymbolCount = sizeof(kSymbols) / sizeof(kSymbols[0]);

struct Group {
  const char* description;
  std::vector<const char*> sonames;
  const char* install;  // where the libraries come from, for the message
  std::once_flag once;
  std::atomic<bool> loaded{false};
  std::string error;  // written once, inside `once`
};

Group* GroupOf(LazyGroup group) {
  static Group x11{"X11 (screen and window capture)",
                   {"libX11.so.6", "libXext.so.6", "libXdamage.so.1", "libXfixes.so.3",
                    "libXcomposite.so.1", "libXrandr.so.2", "libXtst.so.6"},
                   "Debian/Ubuntu: apt install libx11-6 libxext6 libxdamage1 libxfixes3 "
                   "libxcomposite1 libxrandr2 libxtst6"};
  static Group glib{"GLib and GIO (screen capture through the desktop portal)",
                    {"libglib-2.0.so.0", "libgobject-2.0.so.0", "libgio-2.0.so.0"},
                    "Debian/Ubuntu: apt install libglib2.0-0"};
  static Group ffmpeg{"ffmpeg 5.1's libavcodec 59 (H.264 decoding)",
                      {"libavutil.so.57", "libavcodec.so.59"},
                      "Debian 12: apt install libavcodec59"};
  switch (group) {
    case LazyGroup::kX11:
      return &x11;
    case LazyGroup::kGlib:
      return &glib;
    case LazyGroup::kFfmpeg:
      return &ffmpeg;
  }
  return &x11;
}

void Load(LazyGroup which, Group* group) {
  if (static_cast<size_t>(lwn_lazy_table_end - lwn_lazy_table) != kSymbolCount) {
    group->error = "the trampoline table does not match lazy_symbols.inc (a build error)";
    return;
  }
  std::vector<void*> handles;
  for (const char* soname : group->sonames) {
    void* handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      const char* why = dlerror();
      group->error = std::string(why ? why : soname) + " (" + group->install + ")";
      for (void* h : handles) dlclose(h);
      return;
    }
    handles.push_back(handle);
  }
  std::vector<std::pair<size_t, void*>> found;
  for (size_t i = 0; i < kSymbolCount; ++i) {
    if (kSymbols[i].group != which) continue;
    void* address = nullptr;
    for (void* handle : handles) {
      if ((address = dlsym(handle, kSymbols[i].name))) break;
    }
    if (!address) {
      group->error = std::string(kSymbols[i].name) + " is missing from " + group->sonames.back();
      for (void* h : handles) dlclose(h);
      return;
    }
    found.emplace_back(i, address);
  }
  // The libraries stay loaded for the life of the process: their functions may be running.
  for (auto& [i, address] : found) __atomic_store_n(&lwn_lazy_table[i], address, __ATOMIC_RELEASE);
  group->loaded.store(true, std::memory_order_release);
}

}  // namespace

bool LoadLazyGroup(LazyGroup which, std::string* error) {
  Group* group = GroupOf(which);
  std::call_once(group->once, [&] { Load(which, group); });
  bool loaded = group->loaded.load(std::memory_order_acquire);
  if (!loaded && error) *error = group->error;
  return loaded;
}

bool LazyGroupLoaded(LazyGroup which) {
  return GroupOf(which)->loaded.load(std::memory_order_acquire);
}

const char* LazyGroupDescription(LazyGroup which) { return GroupOf(which)->description; }

}  // namespace lwn

// A trampoline's first call, from any thread: load the function's group and return where to
// jump. libwebrtc reached a library that cannot be loaded only if the package's own checks
// before its entry points were missed; libwebrtc cannot go on without the function.
void* lwn_lazy_resolve(void** slot) {
  size_t index = static_cast<size_t>(slot - lwn_lazy_table);
  if (index >= lwn::kSymbolCount) abort();
  const lwn::Symbol& symbol = lwn::kSymbols[index];
  std::string error;
  if (!lwn::LoadLazyGroup(symbol.group, &error)) {
    fprintf(stderr, "libwebrtc-node: libwebrtc called %s, from %s, which could not be loaded: %s\n",
            symbol.name, lwn::LazyGroupDescription(symbol.group), error.c_str());
    fflush(stderr);
    abort();
  }
  return __atomic_load_n(slot, __ATOMIC_ACQUIRE);
}

#else  // The libraries are linked (LWN_LAZY_LIBRARIES=OFF): there is nothing to load.

namespace lwn {
bool LoadLazyGroup(LazyGroup, std::string*) { return true; }
bool LazyGroupLoaded(LazyGroup) { return true; }
const char* LazyGroupDescription(LazyGroup) { return "linked"; }
}  // namespace lwn

#endif  // LWN_LAZY_LIBRARIES
