// Our definitions of rtc::WeakPtr's out-of-line members (rtc_base/weak_ptr.h), in place of
// libtg_owt.a's weak_ptr.cc.o: defining every symbol of that member here means the linker
// never pulls it in (as native/runtime/pic_shims.cc does for two others). One behaviour differs, to
// work around a libwebrtc M108 bug that aborts the process after any failed DTLS handshake.
//
// The bug. PeerConnection hands its JsepTransportController a DTLS handshake-error callback
// holding a WeakPtr<PeerConnection> (pc/peer_connection.cc, InitializeTransportController_n).
// The callback runs on the network thread and tests the WeakPtr there, which binds the
// WeakPtr's flag to the network thread. ~PeerConnection runs on the signaling thread and its
// WeakPtrFactory invalidates the flag there: "WeakPtrs must be invalidated on the same
// sequence", a DCHECK, live in Debian's build (ARCHITECTURE.md, "ABI fact"). A forged
// fingerprint, a DTLS alert or a cipher mismatch from any remote peer thus killed the whole
// process at the next close(), exit or garbage collection. Chromium's release builds have
// DCHECKs off; libwebrtc's unit tests run every role on one thread.
//
// The workaround, and why it is sound. The check guards against invalidating a flag on one
// sequence while a WeakPtr reads it on another. When the owner is destroyed holding the only
// reference to its flag, no WeakPtr exists that could ever read it (a WeakPtr is the only
// other holder, and none can be made from an owner being destroyed), so whether the flag is
// marked invalid first is unobservable: we release it without the check. ~PeerConnection is
// that case — the callback and its WeakPtr died with the transport controller, on the network
// thread, earlier in the same destructor. Whenever a WeakPtr is still alive, the owner
// invalidates with libwebrtc's check as before, so a real thread bug still aborts.
#include "rtc_base/weak_ptr.h"

namespace rtc {
namespace internal {

WeakReference::Flag::Flag() : is_valid_(true) {
  // Bound to a sequence by the first check or invalidation, not by construction.
  checker_.Detach();
}

WeakReference::Flag::~Flag() = default;

void WeakReference::Flag::Invalidate() {
  RTC_DCHECK(checker_.IsCurrent()) << "WeakPtrs must be invalidated on the same sequence.";
  is_valid_ = false;
}

bool WeakReference::Flag::IsValid() const {
  RTC_DCHECK(checker_.IsCurrent()) << "WeakPtrs must be checked on the same sequence.";
  return is_valid_;
}

WeakReference::WeakReference() = default;
WeakReference::WeakReference(const Flag* flag) : flag_(flag) {}
WeakReference::~WeakReference() = default;
WeakReference::WeakReference(WeakReference&& other) = default;
WeakReference::WeakReference(const WeakReference& other) = default;

bool WeakReference::is_valid() const { return flag_ && flag_->IsValid(); }

WeakReferenceOwner::WeakReferenceOwner() = default;

WeakReferenceOwner::~WeakReferenceOwner() {
  if (flag_ && flag_->HasOneRef()) {
    flag_ = nullptr;  // no WeakPtr can observe this flag: released unchecked (see above)
    return;
  }
  Invalidate();
}

WeakReference WeakReferenceOwner::GetRef() const {
  // A flag nobody else holds may have been invalidated already: start a fresh one.
  if (!HasRefs()) flag_ = new RefCountedObject<WeakReference::Flag>();
  return WeakReference(flag_.get());
}

void WeakReferenceOwner::Invalidate() {
  if (!flag_) return;
  flag_->Invalidate();
  flag_ = nullptr;
}

WeakPtrBase::WeakPtrBase() = default;
WeakPtrBase::~WeakPtrBase() = default;
WeakPtrBase::WeakPtrBase(const WeakReference& ref) : ref_(ref) {}

}  // namespace internal
}  // namespace rtc
