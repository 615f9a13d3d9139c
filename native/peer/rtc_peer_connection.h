// RTCPeerConnection's native half: owns one webrtc::PeerConnectionInterface and the observer
// that turns its callbacks into events for lib/RTCPeerConnection.ts.
#ifndef LWN_RTC_PEER_CONNECTION_H_
#define LWN_RTC_PEER_CONNECTION_H_

#include <map>
#include <optional>
#include <vector>

#include "api/sctp_transport_interface.h"
#include "runtime/common.h"
#include "peer/rtc_dtls_transport.h"

namespace lwn {

class DataChannelCore;
class SdpTextCache;
class TransceiverCore;
class RTCRtpTransceiver;

// What observers on libwebrtc's threads share with the JS wrapper. Observer methods run on the
// signaling thread (libwebrtc's contract for PeerConnectionObserver in this version).
class PeerConnectionCore : public webrtc::PeerConnectionObserver,
                           public std::enable_shared_from_this<PeerConnectionCore> {
 public:
  PeerConnectionCore(Napi::Env env, Napi::Function handler, rtc::Thread* signaling_thread,
                     rtc::Thread* network_thread);
  ~PeerConnectionCore() override;

  EventQueue events;
  rtc::Thread* const signaling_thread;  // alive while the connection is open
  rtc::Thread* const network_thread;
  // Set on the JS thread once made; released there by Close(), after events.Detach(). Read on
  // the signaling thread only inside events.Post(), i.e. while attached.
  rtc::scoped_refptr<webrtc::PeerConnectionInterface> pc;

  // Data channels whose observers we registered; detached (observer unregistered, channel
  // released) by Close() on the JS thread. Added to from either thread.
  std::mutex channels_mutex;
  std::vector<std::shared_ptr<DataChannelCore>> channels;
  bool channels_closed = false;
  std::atomic<int> next_channel_handle{1};
  // Registers `core` unless the connection closed meanwhile.
  bool AddChannel(const std::shared_ptr<DataChannelCore>& core);

  // Posts an operation's completion with the four descriptions and the transports as they are
  // now (signaling thread, or the JS thread for errors found before libwebrtc was asked).
  // `negotiation` (setLocal/RemoteDescription): transports may have been made or bundled, so
  // the transceivers' DTLS transports are registered and the SCTP transport's is looked up.
  void PostOperationDone(int op_id, webrtc::RTCError error, bool with_descriptions,
                         bool negotiation = false);

  // JS thread, at close: stops the transports' observers (a blocking call to the network
  // thread, whose observers must not outlive this core).
  void StopWatchingTransports();

  DtlsTransportRegistry dtls_transports{&events, network_thread};

  // Transceivers (TransceiverCore: transceiver, sender, receiver), one per libwebrtc
  // transceiver. Any thread: the core for `transceiver`, made the first time it is seen; null
  // once the connection is closed.
  std::shared_ptr<TransceiverCore> Transceiver(
      const rtc::scoped_refptr<webrtc::RtpTransceiverInterface>& transceiver);
  // Any thread: the registered core whose receiver is `receiver`, if any.
  std::shared_ptr<TransceiverCore> TransceiverOfReceiver(webrtc::RtpReceiverInterface* receiver);
  // JS thread: the JS wrapper of `core`, the same object every time; undefined once closed.
  Napi::Value WrapTransceiver(Napi::Env env, const std::shared_ptr<TransceiverCore>& core);
  // JS thread, at close: every wrapper and core detached.
  void DetachTransceivers();

  // webrtc::PeerConnectionObserver (signaling thread).
  void OnSignalingChange(webrtc::PeerConnectionInterface::SignalingState state) override;
  void OnDataChannel(rtc::scoped_refptr<webrtc::DataChannelInterface> channel) override;
  void OnNegotiationNeededEvent(uint32_t event_id) override;
  void OnIceConnectionChange(webrtc::PeerConnectionInterface::IceConnectionState) override {}
  void OnStandardizedIceConnectionChange(
      webrtc::PeerConnectionInterface::IceConnectionState state) override;
  void OnConnectionChange(webrtc::PeerConnectionInterface::PeerConnectionState state) override;
  void OnIceGatheringChange(webrtc::PeerConnectionInterface::IceGatheringState state) override;
  void OnIceCandidate(const webrtc::IceCandidateInterface* candidate) override;
  void OnIceCandidateError(const std::string& address, int port, const std::string& url,
                           int error_code, const std::string& error_text) override;
  void OnTrack(rtc::scoped_refptr<webrtc::RtpTransceiverInterface> transceiver) override;
  void OnRemoveTrack(rtc::scoped_refptr<webrtc::RtpReceiverInterface> receiver) override;

 private:
  std::unique_ptr<SdpTextCache> sdp_cache_;  // signaling thread, inside events.Post()
  std::mutex transceivers_mutex_;
  std::vector<std::shared_ptr<TransceiverCore>> transceivers_;  // guarded by transceivers_mutex_
  bool transceivers_closed_ = false;                            // guarded by transceivers_mutex_
  int next_transceiver_handle_ = 1;                             // guarded by transceivers_mutex_
  // JS thread only: the wrapper of each core, held until close.
  struct TransceiverWrapper {
    Napi::ObjectReference wrapper;
    RTCRtpTransceiver* native;  // alive while `wrapper` holds it
  };
  std::map<TransceiverCore*, TransceiverWrapper> transceiver_wrappers_;
  // The SCTP transport's observer: libwebrtc calls it on the network thread.
  class SctpObserver : public webrtc::SctpTransportObserverInterface {
   public:
    explicit SctpObserver(PeerConnectionCore* core) : core_(core) {}
    void OnStateChange(webrtc::SctpTransportInformation info) override;

   private:
    PeerConnectionCore* core_;
  };
  // What lib/ needs to make RTCSctpTransport: its DTLS transport's handle and where it is.
  struct SctpFound {
    int dtls_handle = -1;
    webrtc::SctpTransportInformation info;
  };
  // Signaling thread, not under the event queue's lock (it waits for the network thread): the
  // SCTP transport and its current DTLS transport (BUNDLE may move it); the first time, its
  // observer is attached on the network thread.
  std::optional<SctpFound> FindSctp_s();
  // Signaling thread, not under the event queue's lock: the DTLS transports' states, read after
  // the network task that changed the connection's state has ended.
  std::vector<DtlsTransportRegistry::State> TransportStates_s();
  SctpObserver sctp_observer_{this};
  bool sctp_found_ = false;                                            // signaling thread
  rtc::scoped_refptr<webrtc::SctpTransportInterface> sctp_transport_;  // network thread
};

class RTCPeerConnection : public Napi::ObjectWrap<RTCPeerConnection> {
 public:
  static Napi::Function Init(Napi::Env env);
  explicit RTCPeerConnection(const Napi::CallbackInfo& info);
  ~RTCPeerConnection() override;

  // JS thread. Synchronous and idempotent; also run by the environment's cleanup hook and, as
  // a safety net, by the finalizer.
  void CloseNow();

 private:
  Napi::Value CreateOffer(const Napi::CallbackInfo& info);
  Napi::Value CreateAnswer(const Napi::CallbackInfo& info);
  Napi::Value SetLocalDescription(const Napi::CallbackInfo& info);
  Napi::Value SetRemoteDescription(const Napi::CallbackInfo& info);
  Napi::Value AddIceCandidate(const Napi::CallbackInfo& info);
  Napi::Value RestartIce(const Napi::CallbackInfo& info);
  Napi::Value SetConfiguration(const Napi::CallbackInfo& info);
  Napi::Value ShouldFireNegotiationNeeded(const Napi::CallbackInfo& info);
  Napi::Value CreateDataChannel(const Napi::CallbackInfo& info);
  Napi::Value Close(const Napi::CallbackInfo& info);
  // RTP media (rtc_peer_connection_media.cc).
  Napi::Value AddTrack(const Napi::CallbackInfo& info);
  Napi::Value RemoveTrack(const Napi::CallbackInfo& info);
  Napi::Value AddTransceiver(const Napi::CallbackInfo& info);
  Napi::Value GetTransceivers(const Napi::CallbackInfo& info);
  // transportInfo(handle): DtlsTransportRegistry::Info().
  Napi::Value TransportInfo(const Napi::CallbackInfo& info);
  // Statistics (rtc_stats_report.cc).
  Napi::Value GetStats(const Napi::CallbackInfo& info);

  // Throws InvalidStateError into JS when closed; true when usable.
  bool CheckOpen(Napi::Env env);
  static void OnEnvironmentCleanup(void* self);

  AddonData* data_ = nullptr;
  std::shared_ptr<Runtime> runtime_;
  std::shared_ptr<PeerConnectionCore> core_;
  bool closed_ = true;
};

// Reads a ConfigurationRecord (binding.d.ts) into `config`, on top of what it holds.
void ReadConfiguration(const Napi::Object& record,
                       webrtc::PeerConnectionInterface::RTCConfiguration* config);

}  // namespace lwn

#endif  // LWN_RTC_PEER_CONNECTION_H_
