// Context for libwebrtc's fatal checks (native/runtime/fatal_checks.cc): the last call each
// JavaScript environment made into the addon, printed if a check fails.
#ifndef LWN_FATAL_CHECKS_H_
#define LWN_FATAL_CHECKS_H_

#include <string>

namespace lwn {

// A slot for one environment's call sites; -1 when all are taken (nothing is then recorded).
int AcquireCallSiteSlot();
void ReleaseCallSiteSlot(int slot);
// That environment's JS thread: `text` (what was called, and the JavaScript stack) replaces
// the slot's previous one.
void SetCallSite(int slot, const std::string& text);

}  // namespace lwn

#endif  // LWN_FATAL_CHECKS_H_
