#include "media/rtc_rtp_transceiver.h"

namespace lwn {

namespace {

const char* ToString(webrtc::RtpTransceiverDirection direction) {
  switch (direction) {
    case webrtc::RtpTransceiverDirection::kSendRecv:
      return "sendrecv";
    case webrtc::RtpTransceiverDirection::kSendOnly:
      return "sendonly";
    case webrtc::RtpTransceiverDirection::kRecvOnly:
      return "recvonly";
    case webrtc::RtpTransceiverDirection::kInactive:
      return "inactive";
    case webrtc::RtpTransceiverDirection::kStopped:
      break;
  }
  return "stopped";
}

webrtc::RtpTransceiverDirection ParseDirection(const std::string& s) {
  if (s == "sendonly") return webrtc::RtpTransceiverDirection::kSendOnly;
  if (s == "recvonly") return webrtc::RtpTransceiverDirection::kRecvOnly;
  if (s == "inactive") return webrtc::RtpTransceiverDirection::kInactive;
  return webrtc::RtpTransceiverDirection::kSendRecv;
}

int NextHandle(Napi::Env env) {
  // Per environment, like everything else.
  return ++AddonData::Get(env)->next_transceiver_handle;
}

}  // namespace

Napi::Function RTCRtpTransceiver::Init(Napi::Env env) {
  return DefineClass(env, "RtpTransceiver",
                     {
                         InstanceAccessor<&RTCRtpTransceiver::Handle>("handle"),
                         InstanceMethod<&RTCRtpTransceiver::Kind>("kind"),
                         InstanceMethod<&RTCRtpTransceiver::Mid>("mid"),
                         InstanceMethod<&RTCRtpTransceiver::Direction>("direction"),
                         InstanceMethod<&RTCRtpTransceiver::CurrentDirection>("currentDirection"),
                         InstanceMethod<&RTCRtpTransceiver::Stopped>("stopped"),
                         InstanceMethod<&RTCRtpTransceiver::SetDirection>("setDirection"),
                         InstanceMethod<&RTCRtpTransceiver::Stop>("stop"),
                     });
}

Napi::Object RTCRtpTransceiver::Wrap(
    Napi::Env env, rtc::scoped_refptr<webrtc::RtpTransceiverInterface> transceiver) {
  auto* holder = new rtc::scoped_refptr<webrtc::RtpTransceiverInterface>(std::move(transceiver));
  return AddonData::Get(env)->transceiver_ctor.New(
      {Napi::External<rtc::scoped_refptr<webrtc::RtpTransceiverInterface>>::New(env, holder)});
}

RTCRtpTransceiver::RTCRtpTransceiver(const Napi::CallbackInfo& info)
    : Napi::ObjectWrap<RTCRtpTransceiver>(info) {
  if (!info[0].IsExternal()) {
    throw Napi::TypeError::New(info.Env(), "RtpTransceiver is made by PeerConnection");
  }
  auto* holder =
      info[0].As<Napi::External<rtc::scoped_refptr<webrtc::RtpTransceiverInterface>>>().Data();
  transceiver_ = std::move(*holder);
  delete holder;
  handle_ = NextHandle(info.Env());
  video_ = transceiver_->media_type() == cricket::MEDIA_TYPE_VIDEO;
}

void RTCRtpTransceiver::Detach() {
  if (!transceiver_) return;
  mid_ = transceiver_->mid();
  direction_ = transceiver_->direction();
  transceiver_ = nullptr;
}

Napi::Value RTCRtpTransceiver::Handle(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), handle_);
}

Napi::Value RTCRtpTransceiver::Kind(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), video_ ? "video" : "audio");
}

Napi::Value RTCRtpTransceiver::Mid(const Napi::CallbackInfo& info) {
  absl::optional<std::string> mid = transceiver_ ? transceiver_->mid() : mid_;
  return mid ? Napi::Value(Napi::String::New(info.Env(), *mid)) : info.Env().Null();
}

Napi::Value RTCRtpTransceiver::Direction(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(),
                           ToString(transceiver_ ? transceiver_->direction() : direction_));
}

Napi::Value RTCRtpTransceiver::CurrentDirection(const Napi::CallbackInfo& info) {
  if (!transceiver_) return info.Env().Null();
  absl::optional<webrtc::RtpTransceiverDirection> current = transceiver_->current_direction();
  return current ? Napi::Value(Napi::String::New(info.Env(), ToString(*current)))
                 : info.Env().Null();
}

Napi::Value RTCRtpTransceiver::Stopped(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), !transceiver_ || transceiver_->stopped());
}

Napi::Value RTCRtpTransceiver::SetDirection(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!transceiver_) return ErrorRecord(env, "InvalidStateError", "The connection is closed.");
  webrtc::RTCError error = transceiver_->SetDirectionWithError(
      ParseDirection(info[0].ToString().Utf8Value()));
  return error.ok() ? env.Null() : Napi::Value(ErrorRecord(env, error));
}

Napi::Value RTCRtpTransceiver::Stop(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!transceiver_) return ErrorRecord(env, "InvalidStateError", "The connection is closed.");
  webrtc::RTCError error = transceiver_->StopStandard();
  return error.ok() ? env.Null() : Napi::Value(ErrorRecord(env, error));
}

}  // namespace lwn
