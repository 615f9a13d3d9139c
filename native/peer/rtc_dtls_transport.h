// RTCDtlsTransport's native half: the DTLS transports of one connection, each known to lib/ by
// a handle, so that senders, receivers and the SCTP transport that share one libwebrtc transport
// (BUNDLE) share one RTCDtlsTransport object.
//
// A transport's state reaches lib/ two ways: an observer on the network thread posts each
// change as it happens ('dtlsstatechange'), and the connection-level events that a transport
// change can cause (connection and ICE state changes, operations) carry a snapshot of every
// transport's state read just before, so lib/ applies the transports' changes first, as the
// spec orders them ("update the connection state" runs after the transport's own change).
#ifndef LWN_RTC_DTLS_TRANSPORT_H_
#define LWN_RTC_DTLS_TRANSPORT_H_

#include <vector>

#include "api/dtls_transport_interface.h"
#include "runtime/common.h"

namespace lwn {

const char* ToString(webrtc::DtlsTransportState state);

class DtlsTransportRegistry {
 public:
  DtlsTransportRegistry(EventQueue* events, rtc::Thread* network_thread);
  ~DtlsTransportRegistry();

  struct State {
    int handle;
    const char* state;
  };

  // Any thread. The handle of `transport`, registered the first time it is seen: its observer
  // is then attached on the network thread by a task that holds `keep_alive` (the owner of
  // this registry) and reports the state it finds there.
  int Handle(const rtc::scoped_refptr<webrtc::DtlsTransportInterface>& transport,
             std::shared_ptr<void> keep_alive);
  // Any thread: every registered transport's state now (libwebrtc's Information() takes its
  // own lock).
  std::vector<State> States();
  // Network thread (the connection is closing): observers detached, nothing posted any more.
  void Stop_n();

  // JS thread: what RTCDtlsTransport and its RTCIceTransport report of transport `handle` —
  // { remoteCertificates: ArrayBuffer[] (DER), mid, localCandidates, remoteCandidates,
  // selectedPair } (candidates as SDP strings) — or null when unknown. A blocking call to
  // the network thread, where the ICE transport lives.
  Napi::Value Info(Napi::Env env, int handle);

 private:
  class Watcher;
  struct Entry {
    int handle;
    rtc::scoped_refptr<webrtc::DtlsTransportInterface> transport;
    std::unique_ptr<Watcher> watcher;
  };
  void Watch_n(Entry* entry);

  EventQueue* const events_;
  rtc::Thread* const network_thread_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Entry>> entries_;  // guarded by mutex_
  int next_handle_ = 1;                          // guarded by mutex_
  bool stopped_ = false;                         // guarded by mutex_
};

// JS value of a States() snapshot: [{ handle, state }].
Napi::Value ToJs(Napi::Env env, const std::vector<DtlsTransportRegistry::State>& states);

}  // namespace lwn

#endif  // LWN_RTC_DTLS_TRANSPORT_H_
