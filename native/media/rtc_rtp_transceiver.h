// RTCRtpTransceiver's native half (enough to negotiate media; tracks come with the media issue).
#ifndef LWN_RTC_RTP_TRANSCEIVER_H_
#define LWN_RTC_RTP_TRANSCEIVER_H_

#include "api/rtp_transceiver_interface.h"
#include "runtime/common.h"

namespace lwn {

class RTCRtpTransceiver : public Napi::ObjectWrap<RTCRtpTransceiver> {
 public:
  static Napi::Function Init(Napi::Env env);
  static Napi::Object Wrap(Napi::Env env,
                           rtc::scoped_refptr<webrtc::RtpTransceiverInterface> transceiver);
  explicit RTCRtpTransceiver(const Napi::CallbackInfo& info);

  // JS thread, when the connection closes: drops the libwebrtc object while its threads run.
  // Afterwards the getters answer as a closed connection's transceiver does.
  void Detach();

 private:
  Napi::Value Handle(const Napi::CallbackInfo& info);
  Napi::Value Kind(const Napi::CallbackInfo& info);
  Napi::Value Mid(const Napi::CallbackInfo& info);
  Napi::Value Direction(const Napi::CallbackInfo& info);
  Napi::Value CurrentDirection(const Napi::CallbackInfo& info);
  Napi::Value Stopped(const Napi::CallbackInfo& info);
  Napi::Value SetDirection(const Napi::CallbackInfo& info);
  Napi::Value Stop(const Napi::CallbackInfo& info);

  rtc::scoped_refptr<webrtc::RtpTransceiverInterface> transceiver_;
  int handle_ = 0;
  bool video_ = false;
  // Last values seen, answered once detached.
  absl::optional<std::string> mid_;
  webrtc::RtpTransceiverDirection direction_ = webrtc::RtpTransceiverDirection::kSendRecv;
};

}  // namespace lwn

#endif  // LWN_RTC_RTP_TRANSCEIVER_H_
