// Hidden copies of the glibc data symbols libtg_owt.a reads PC-relatively (it was compiled as
// PIE, which assumes such data lives in the executable). A shared object cannot satisfy those
// references from libc.so, so it carries its own copies, local to the .node. The two IPv6
// constants have fixed values; the stdio streams are the process's own, fetched before
// anything (libstdc++'s static streams included: priority 101 runs first) can use them.
//
// The headers are read with hidden visibility so that our definitions agree with their
// declarations; nothing else from them is used in this file.
#include <dlfcn.h>

#pragma GCC visibility push(hidden)
#include <netinet/in.h>
#include <stdio.h>
#pragma GCC visibility pop

extern "C" {
const struct in6_addr in6addr_any = IN6ADDR_ANY_INIT;
const struct in6_addr in6addr_loopback = IN6ADDR_LOOPBACK_INIT;
FILE* stdout = nullptr;
FILE* stderr = nullptr;
}

namespace {
__attribute__((constructor(101))) void ResolveStdioStreams() {
  stdout = *static_cast<FILE**>(dlsym(RTLD_DEFAULT, "stdout"));
  stderr = *static_cast<FILE**>(dlsym(RTLD_DEFAULT, "stderr"));
}
}  // namespace
