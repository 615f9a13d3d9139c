// RTCRtpTransceiver, RTCRtpSender and RTCRtpReceiver's native halves.
//
// The libwebrtc objects of one transceiver live in a TransceiverCore, shared by the three JS
// wrappers and by the events that carry it (a 'track' event is made on the signaling thread).
// The connection registers every core and detaches them all at close() — on the JS thread,
// while libwebrtc's threads run — so a core still sitting in the event queue then holds
// nothing of libwebrtc's.
#ifndef LWN_MEDIA_RTC_RTP_TRANSCEIVER_H_
#define LWN_MEDIA_RTC_RTP_TRANSCEIVER_H_

#include "api/dtmf_sender_interface.h"
#include "api/rtp_transceiver_interface.h"
#include "runtime/common.h"

namespace lwn {

class PeerConnectionCore;
class MediaStreamTrack;
class RTCRtpReceiver;

class TransceiverCore : public webrtc::DtmfSenderObserverInterface,
                        public webrtc::RtpReceiverObserverInterface {
 public:
  // Any thread (the JS thread for addTransceiver/addTrack, the signaling thread for a
  // transceiver a remote description made): registers the observers through the proxies.
  TransceiverCore(PeerConnectionCore* connection,
                  rtc::scoped_refptr<webrtc::RtpTransceiverInterface> transceiver, int handle);
  ~TransceiverCore() override;

  const int handle;
  const bool video;
  // Set at construction; released by Detach() on the JS thread. Other threads use them only
  // from the connection's events, i.e. while it is open.
  rtc::scoped_refptr<webrtc::RtpTransceiverInterface> transceiver;
  rtc::scoped_refptr<webrtc::RtpSenderInterface> sender;
  rtc::scoped_refptr<webrtc::RtpReceiverInterface> receiver;
  rtc::scoped_refptr<webrtc::DtmfSenderInterface> dtmf;
  // The parameters the last getParameters() returned (JS thread): setParameters() writes the
  // changes lib/ allows into a copy of them.
  absl::optional<webrtc::RtpParameters> last_parameters;

  // JS thread, when the connection closes.
  void Detach();

  // webrtc::DtmfSenderObserverInterface (signaling thread).
  void OnToneChange(const std::string& tone, const std::string& tone_buffer) override;
  // webrtc::RtpReceiverObserverInterface (signaling thread).
  void OnFirstPacketReceived(cricket::MediaType media_type) override;

 private:
  PeerConnectionCore* const connection_;  // outlives this core's registration
};

class RTCRtpTransceiver : public Napi::ObjectWrap<RTCRtpTransceiver> {
 public:
  static Napi::Function Init(Napi::Env env);
  // JS thread: the wrappers for `core` (transceiver, with its sender and receiver).
  static Napi::Object Wrap(Napi::Env env, std::shared_ptr<TransceiverCore> core,
                           std::shared_ptr<PeerConnectionCore> connection);
  explicit RTCRtpTransceiver(const Napi::CallbackInfo& info);

  // JS thread, when the connection closes: the core is detached; the receiver's track ends.
  void Detach();
  const std::shared_ptr<TransceiverCore>& core() const { return core_; }

 private:
  Napi::Value Handle(const Napi::CallbackInfo& info);
  Napi::Value Kind(const Napi::CallbackInfo& info);
  Napi::Value Mid(const Napi::CallbackInfo& info);
  Napi::Value Direction(const Napi::CallbackInfo& info);
  Napi::Value CurrentDirection(const Napi::CallbackInfo& info);
  Napi::Value Stopped(const Napi::CallbackInfo& info);
  Napi::Value SetDirection(const Napi::CallbackInfo& info);
  Napi::Value Stop(const Napi::CallbackInfo& info);
  Napi::Value SetCodecPreferences(const Napi::CallbackInfo& info);
  Napi::Value Sender(const Napi::CallbackInfo& info);
  Napi::Value Receiver(const Napi::CallbackInfo& info);

  std::shared_ptr<TransceiverCore> core_;
  Napi::ObjectReference sender_;
  Napi::ObjectReference receiver_;
  RTCRtpReceiver* receiver_native_ = nullptr;  // alive while receiver_ holds it
  // Last values seen, answered once detached.
  absl::optional<std::string> mid_;
  webrtc::RtpTransceiverDirection direction_ = webrtc::RtpTransceiverDirection::kSendRecv;
};

class RTCRtpSender : public Napi::ObjectWrap<RTCRtpSender> {
 public:
  static Napi::Function Init(Napi::Env env);
  static RTCRtpSender* FromValue(Napi::Value value);
  explicit RTCRtpSender(const Napi::CallbackInfo& info);
  const std::shared_ptr<TransceiverCore>& core() const { return core_; }

 private:
  Napi::Value SetTrack(const Napi::CallbackInfo& info);
  Napi::Value GetParameters(const Napi::CallbackInfo& info);
  Napi::Value SetParameters(const Napi::CallbackInfo& info);
  Napi::Value SetStreams(const Napi::CallbackInfo& info);
  Napi::Value Transport(const Napi::CallbackInfo& info);
  Napi::Value InsertDtmf(const Napi::CallbackInfo& info);
  Napi::Value ToneBuffer(const Napi::CallbackInfo& info);
  Napi::Value CanInsertDtmf(const Napi::CallbackInfo& info);

  std::shared_ptr<TransceiverCore> core_;
  std::weak_ptr<PeerConnectionCore> connection_;
};

class RTCRtpReceiver : public Napi::ObjectWrap<RTCRtpReceiver> {
 public:
  static Napi::Function Init(Napi::Env env);
  static RTCRtpReceiver* FromValue(Napi::Value value);
  explicit RTCRtpReceiver(const Napi::CallbackInfo& info);
  const std::shared_ptr<TransceiverCore>& core() const { return core_; }
  // JS thread, at close: the track ends (its libwebrtc references go).
  void EndTrack();

 private:
  Napi::Value Track(const Napi::CallbackInfo& info);
  Napi::Value GetParameters(const Napi::CallbackInfo& info);
  Napi::Value GetSources(const Napi::CallbackInfo& info);
  Napi::Value SetJitterBufferTarget(const Napi::CallbackInfo& info);
  Napi::Value Transport(const Napi::CallbackInfo& info);
  Napi::Value StreamIds(const Napi::CallbackInfo& info);

  std::shared_ptr<TransceiverCore> core_;
  std::weak_ptr<PeerConnectionCore> connection_;
  Napi::ObjectReference track_;               // made once, with the wrapper
  MediaStreamTrack* track_native_ = nullptr;  // alive while track_ holds it
};

}  // namespace lwn

#endif  // LWN_MEDIA_RTC_RTP_TRANSCEIVER_H_
