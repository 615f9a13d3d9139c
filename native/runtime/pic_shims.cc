// Definitions that keep libtg_owt.a's non-PIC code paths out of our shared object.
//
// Debian compiled libtg_owt.a as PIE. Two of its members keep a `thread_local` pointer with the
// local-exec TLS model, which cannot live in a dlopen()ed object, and a handful of its
// functions reach glibc data symbols PC-relatively, which a shared object cannot do for data
// it does not define. Defining those symbols here (built as PIC) means the linker never pulls
// the offending archive members in, and resolves the PC-relative references to our hidden
// copies. See ARCHITECTURE.md, "Linking libtg_owt.a into a .node".

#include "api/task_queue/task_queue_base.h"
#include "rtc_base/synchronization/yield_policy.h"

namespace webrtc {
namespace {
// initial-exec: a static-TLS slot, fine for an object loaded at start-up or by dlopen() on
// glibc (which reserves surplus static TLS for exactly this).
thread_local TaskQueueBase* current_task_queue __attribute__((tls_model("initial-exec"))) = nullptr;
}  // namespace

TaskQueueBase* TaskQueueBase::Current() { return current_task_queue; }

TaskQueueBase::CurrentTaskQueueSetter::CurrentTaskQueueSetter(TaskQueueBase* task_queue)
    : previous_(current_task_queue) {
  current_task_queue = task_queue;
}

TaskQueueBase::CurrentTaskQueueSetter::~CurrentTaskQueueSetter() { current_task_queue = previous_; }
}  // namespace webrtc

namespace rtc {
namespace {
thread_local YieldInterface* current_yield_policy __attribute__((tls_model("initial-exec"))) =
    nullptr;
}  // namespace

ScopedYieldPolicy::ScopedYieldPolicy(YieldInterface* policy) : previous_(current_yield_policy) {
  current_yield_policy = policy;
}

ScopedYieldPolicy::~ScopedYieldPolicy() { current_yield_policy = previous_; }

void ScopedYieldPolicy::YieldExecution() {
  if (current_yield_policy) current_yield_policy->YieldExecution();
}
}  // namespace rtc
