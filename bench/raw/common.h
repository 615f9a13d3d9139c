// What the raw libwebrtc baselines (negotiation.cc, datachannel.cc) share: libwebrtc's threads
// and factory, the offer/answer steps (each waiting for its observer), candidates trickled
// between two peers of one process, and bits of argument parsing and JSON output.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "api/peer_connection_interface.h"
#include "api/scoped_refptr.h"
#include "api/task_queue/task_queue_factory.h"
#include "modules/audio_device/include/audio_device.h"
#include "rtc_base/checks.h"
#include "rtc_base/logging.h"
#include "rtc_base/thread.h"

#if !RTC_DCHECK_IS_ON
#error "build with DCHECK_ALWAYS_ON: Debian's libtgowt was built with RTC_DCHECK_IS_ON=1"
#endif

namespace rawbench {

using Clock = std::chrono::steady_clock;

// How long one step (a description created or set, a connection up) may take.
constexpr auto kTimeout = std::chrono::seconds(10);

// --- the runtime -----------------------------------------------------------------------------

// libwebrtc's three threads and a PeerConnectionFactory (dummy audio device, builtin codecs).
class Runtime {
 public:
  // `srtp_init_once`: initialise libsrtp here, once, instead of letting libwebrtc do it.
  // libwebrtc reference-counts libsrtp: srtp_init() when the first SRTP session is set up,
  // srtp_shutdown() when the last one goes. With Debian's NSS-backed libsrtp2, each
  // srtp_init() initialises NSS again (dlopen()s its modules) for tens of ms, on the network
  // thread, in the middle of the DTLS handshake; so any connection made while no other one
  // is up pays it.
  Runtime(rtc::LoggingSeverity log_level, bool srtp_init_once);
  ~Runtime();

  rtc::scoped_refptr<webrtc::PeerConnectionInterface> CreatePeer(
      webrtc::PeerConnectionObserver* observer);

  rtc::Thread* signaling() { return signaling_.get(); }
  // Runs an empty task on the signaling thread: everything posted before it has run.
  void Flush() { signaling_->BlockingCall([] {}); }

 private:
  bool srtp_init_once_;
  std::unique_ptr<rtc::Thread> network_, worker_, signaling_;
  std::unique_ptr<webrtc::TaskQueueFactory> task_queue_factory_;
  rtc::scoped_refptr<webrtc::AudioDeviceModule> adm_;
  rtc::scoped_refptr<webrtc::PeerConnectionFactoryInterface> factory_;
};

// --- negotiation (each step waits for its observer, at most kTimeout) -------------------------

// Descriptions cross between the peers as SDP strings, as they do in a JS binding.
std::string CreateOffer(webrtc::PeerConnectionInterface* pc);
// `elapsed_ms` (when given): from the call to the observer's OnSuccess.
std::string CreateAnswer(webrtc::PeerConnectionInterface* pc, double* elapsed_ms);
void SetLocal(webrtc::PeerConnectionInterface* pc, webrtc::SdpType type, const std::string& sdp);
void SetRemote(webrtc::PeerConnectionInterface* pc, webrtc::SdpType type, const std::string& sdp);

// Candidates from one peer to the other: held until the receiver has a remote description,
// then added directly (AddIceCandidate with a callback: chained on the receiver's operations
// chain, as addIceCandidate() is in the W3C API).
class Trickle {
 public:
  void SetTarget(rtc::scoped_refptr<webrtc::PeerConnectionInterface> target);
  // From the sender's OnIceCandidate (signaling thread).
  void OnCandidate(const webrtc::IceCandidateInterface* c);
  // From the main thread, once the receiver's SetRemoteDescription completed.
  void RemoteDescriptionSet();
  // Before the peers close; the owner then flushes the signaling thread (Runtime::Flush)
  // before this goes, so that no AddIceCandidate callback outlives it.
  void Close();
  int errors() const { return errors_.load(); }

 private:
  struct Pending {
    std::string mid;
    int index;
    std::string sdp;
  };
  void Add(const rtc::scoped_refptr<webrtc::PeerConnectionInterface>& target, const Pending& p);

  std::mutex mutex_;
  rtc::scoped_refptr<webrtc::PeerConnectionInterface> target_;
  std::vector<Pending> pending_;
  bool ready_ = false;
  bool closed_ = false;
  std::atomic<int> errors_{0};
};

// A PeerConnectionObserver that sends this peer's candidates through `outgoing` (none when
// null) and ignores signaling and gathering changes; the rest is the bench's.
class TricklingObserver : public webrtc::PeerConnectionObserver {
 public:
  explicit TricklingObserver(Trickle* outgoing) : outgoing_(outgoing) {}
  void OnSignalingChange(webrtc::PeerConnectionInterface::SignalingState) override {}
  void OnIceGatheringChange(webrtc::PeerConnectionInterface::IceGatheringState) override {}
  void OnIceCandidate(const webrtc::IceCandidateInterface* candidate) override {
    if (outgoing_) outgoing_->OnCandidate(candidate);
  }

 private:
  Trickle* outgoing_;
};

// The whole exchange: offer from `a`, answer from `b`, each trickle released once its receiver
// has the remote description (trickles may be null: no candidates to pass on). `answer_ms`:
// as CreateAnswer's `elapsed_ms`.
void OfferAnswer(webrtc::PeerConnectionInterface* a, webrtc::PeerConnectionInterface* b,
                 Trickle* to_b, Trickle* to_a, double* answer_ms);

// What the main thread waits for while a pair connects, set from libwebrtc's threads: the
// bench's own marks (in a struct deriving from this, written under `mutex`) or a failure.
struct ConnectWait {
  std::mutex mutex;
  std::condition_variable cv;
  bool failed = false;
  std::string failure;

  void Fail(std::string why) {
    std::lock_guard<std::mutex> lock(mutex);
    if (!failed) failure = std::move(why);
    failed = true;
    cv.notify_all();
  }
  // With `lock` held on `mutex`: waits up to kTimeout for `done()` (called under the lock).
  // Throws the failure if there was one; false if the time ran out (`lock` still held, to
  // report the state).
  template <typename Done>
  bool Wait(std::unique_lock<std::mutex>& lock, Done done) {
    const bool ok = cv.wait_for(lock, kTimeout, [&] { return failed || done(); });
    if (failed) throw std::runtime_error(failure);
    return ok;
  }
};

// --- arguments and output --------------------------------------------------------------------

// `value` (the argument after `flag`, null when there is none), or exit(64) saying it is missing.
const char* RequireValue(const char* flag, const char* value);

// --log none|error|warning|info|verbose (anything else: none).
rtc::LoggingSeverity ParseLogLevel(const std::string& level);

// The "machine" object of the JSON document, as the JS benches print it (no Node.js here).
std::string MachineJson();

}  // namespace rawbench
