// libwebrtc's fatal-check reporting (rtc_base/checks.h), defined here in place of libtg_owt.a's
// checks.cc.o — checks.h names WriteFatalLog as the point Chromium overrides for the same
// purpose. A failed RTC_CHECK or RTC_DCHECK (both live in Debian's build: see the README,
// "libwebrtc's checks") still prints libwebrtc's own text and aborts the process; what we add
// is the context a Node user needs to act on it: which thread the check fired on, and the last
// call each JavaScript environment (main thread, workers) made into the addon, with its stack.
//
// lib/ records those calls (binding.setCallSite) before the control-plane operations that can
// lead into libwebrtc's checks; the text lives in fixed buffers here, so reading it while the
// process is failing allocates nothing and takes no lock.
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(_WIN32)
#include <io.h>
#define STDERR_FILENO 2
#define write(fd, data, size) _write(fd, data, static_cast<unsigned>(size))
typedef int ssize_t;
#else
#include <pthread.h>
#include <unistd.h>
#endif
#if defined(__linux__)
#include <sys/prctl.h>
#endif

#include <atomic>
#include <string>

#include "runtime/fatal_checks.h"
#include "rtc_base/checks.h"

namespace lwn {
namespace {

constexpr int kSlots = 16;
constexpr size_t kSiteBytes = 3072;

// One slot per JavaScript environment. The writer (that environment's JS thread) fills the
// buffer not being read and then flips `current`, so a reader on a failing thread sees a whole
// text unless two writes race its read (harmless for a diagnostic).
struct CallSiteSlot {
  std::atomic<bool> used{false};
  std::atomic<int> current{0};
  char text[2][kSiteBytes] = {};
};
CallSiteSlot g_slots[kSlots];  // process-wide on purpose: read at abort, holds only text

void AppendArg(std::string* out, rtc::webrtc_checks_impl::CheckArgType type, va_list* args) {
  using rtc::webrtc_checks_impl::CheckArgType;
  char buffer[64];
  switch (type) {
    case CheckArgType::kInt:
      snprintf(buffer, sizeof(buffer), "%d", va_arg(*args, int));
      break;
    case CheckArgType::kLong:
      snprintf(buffer, sizeof(buffer), "%ld", va_arg(*args, long));
      break;
    case CheckArgType::kLongLong:
      snprintf(buffer, sizeof(buffer), "%lld", va_arg(*args, long long));
      break;
    case CheckArgType::kUInt:
      snprintf(buffer, sizeof(buffer), "%u", va_arg(*args, unsigned));
      break;
    case CheckArgType::kULong:
      snprintf(buffer, sizeof(buffer), "%lu", va_arg(*args, unsigned long));
      break;
    case CheckArgType::kULongLong:
      snprintf(buffer, sizeof(buffer), "%llu", va_arg(*args, unsigned long long));
      break;
    case CheckArgType::kDouble:
      snprintf(buffer, sizeof(buffer), "%g", va_arg(*args, double));
      break;
    case CheckArgType::kLongDouble:
      snprintf(buffer, sizeof(buffer), "%Lg", va_arg(*args, long double));
      break;
    case CheckArgType::kCharP:
      out->append(va_arg(*args, const char*));
      return;
    case CheckArgType::kStdString:
      out->append(*va_arg(*args, const std::string*));
      return;
    case CheckArgType::kStringView: {
      const absl::string_view* view = va_arg(*args, const absl::string_view*);
      out->append(view->data(), view->size());
      return;
    }
    case CheckArgType::kVoidP:
      snprintf(buffer, sizeof(buffer), "%p", va_arg(*args, const void*));
      break;
    case CheckArgType::kEnd:
    case CheckArgType::kCheckOp:
      return;
  }
  out->append(buffer);
}

// Straight to file descriptor 2: stdio's stderr is the archive's concern
// (native/runtime/glibc_data.cc), and nothing here may depend on buffering while the process is
// failing.
void WriteAll(const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = write(STDERR_FILENO, data, size);
    if (n <= 0) return;
    data += n;
    size -= static_cast<size_t>(n);
  }
}

void WriteContext() {
  char thread[32] = "?";
#if defined(__linux__)
  prctl(PR_GET_NAME, thread, 0, 0, 0);
#elif defined(__APPLE__)
  pthread_getname_np(pthread_self(), thread, sizeof(thread));
#endif
  std::string text =
      "# libwebrtc-node: this check inside libwebrtc failed on thread '" + std::string(thread) +
      "', and libwebrtc stops the process\n"
      "# rather than run on with inconsistent state. The last call from JavaScript into the\n"
      "# addon, per environment:\n";
  bool any = false;
  for (CallSiteSlot& slot : g_slots) {
    if (!slot.used.load(std::memory_order_acquire)) continue;
    const char* site = slot.text[slot.current.load(std::memory_order_acquire)];
    if (!site[0]) continue;
    any = true;
    text += "#   ";
    for (const char* p = site; *p; ++p) {
      text += *p;
      if (*p == '\n' && p[1]) text += "#     ";
    }
    text += "\n";
  }
  if (!any) text += "#   (none recorded)\n";
  text +=
      "# Please report it with this output and, if you can, the same run with\n"
      "# LIBWEBRTC_NODE_LOG=info (libwebrtc's log leading up to it).\n#\n";
  WriteAll(text.data(), text.size());
}

}  // namespace

int AcquireCallSiteSlot() {
  for (int i = 0; i < kSlots; ++i) {
    bool expected = false;
    if (g_slots[i].used.compare_exchange_strong(expected, true)) {
      g_slots[i].text[0][0] = g_slots[i].text[1][0] = '\0';
      return i;
    }
  }
  return -1;  // more than kSlots environments at once: the rest go unrecorded
}

void ReleaseCallSiteSlot(int slot) {
  if (slot >= 0) g_slots[slot].used.store(false, std::memory_order_release);
}

void SetCallSite(int slot, const std::string& text) {
  if (slot < 0) return;
  CallSiteSlot& s = g_slots[slot];
  int next = 1 - s.current.load(std::memory_order_relaxed);
  size_t n = std::min(text.size(), kSiteBytes - 1);
  memcpy(s.text[next], text.data(), n);
  s.text[next][n] = '\0';
  s.current.store(next, std::memory_order_release);
}

}  // namespace lwn

// --- rtc_base/checks.h ---------------------------------------------------------------------

namespace rtc {
namespace webrtc_checks_impl {

RTC_NORETURN void WriteFatalLog(absl::string_view output) {
  lwn::WriteAll(output.data(), output.size());
  lwn::WriteContext();
  abort();
}

RTC_NORETURN void WriteFatalLog(const char* file, int line, absl::string_view output) {
  // libwebrtc's own layout, which users may already search for. (snprintf, not std::to_string:
  // that would define a libstdc++ inline's static table here, which the PIE archive's code
  // also reads PC-relatively and which a shared object may then not export — see
  // ARCHITECTURE.md, "Linking libtg_owt.a into a .node".)
  char head[64];
  snprintf(head, sizeof(head), ", line %d\n# last system error: %d\n# ", line, errno);
  std::string text = "\n\n#\n# Fatal error in: " + std::string(file) + head;
  text.append(output.data(), output.size());
  text += "\n#\n";
  WriteFatalLog(text);
}

RTC_NORETURN void FatalLog(const char* file, int line, const char* message, const CheckArgType* fmt,
                           ...) {
  va_list args;
  va_start(args, fmt);
  std::string output = "Check failed: ";
  output += message;
  if (*fmt == CheckArgType::kCheckOp) {
    // RTC_CHECK_OP: the two operands follow, shown as "a == b (1 vs. 2)".
    ++fmt;
    output += " (";
    lwn::AppendArg(&output, *fmt++, &args);
    output += " vs. ";
    lwn::AppendArg(&output, *fmt++, &args);
    output += ")";
  }
  if (*fmt != CheckArgType::kEnd) output += "\n# ";
  for (; *fmt != CheckArgType::kEnd; ++fmt) lwn::AppendArg(&output, *fmt, &args);
  va_end(args);
  WriteFatalLog(file, line, output);
}

RTC_NORETURN void UnreachableCodeReached(const char* file, int line) {
  WriteFatalLog(file, line, "Unreachable code reached");
}

}  // namespace webrtc_checks_impl
}  // namespace rtc

extern "C" RTC_NORETURN void rtc_FatalMessage(const char* file, int line, const char* msg) {
  rtc::webrtc_checks_impl::WriteFatalLog(file, line, msg);
}
