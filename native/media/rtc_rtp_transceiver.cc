#include "media/rtc_rtp_transceiver.h"

#include <chrono>
#include <cmath>

#include "media/media_stream_track.h"
#include "media/rtp_parameters.h"
#include "peer/rtc_peer_connection.h"
#include "rtc_base/time_utils.h"

namespace lwn {

// ---------------------------------------------------------------------------------------------
// TransceiverCore

TransceiverCore::TransceiverCore(PeerConnectionCore* connection,
                                 rtc::scoped_refptr<webrtc::RtpTransceiverInterface> transceiver,
                                 int handle)
    : handle(handle),
      video(transceiver->media_type() == cricket::MEDIA_TYPE_VIDEO),
      transceiver(std::move(transceiver)),
      connection_(connection) {
  sender = this->transceiver->sender();
  receiver = this->transceiver->receiver();
  dtmf = sender->GetDtmfSender();  // null for video
  if (dtmf) dtmf->RegisterObserver(this);
  receiver->SetObserver(this);
}

TransceiverCore::~TransceiverCore() { Detach(); }

void TransceiverCore::Detach() {
  if (!transceiver) return;
  if (dtmf) dtmf->UnregisterObserver();
  receiver->SetObserver(nullptr);
  dtmf = nullptr;
  receiver = nullptr;
  sender = nullptr;
  transceiver = nullptr;  // the proxies destroy what they hold on the signaling thread
  last_parameters.reset();
}

void TransceiverCore::OnToneChange(const std::string& tone, const std::string& tone_buffer) {
  int handle = this->handle;
  connection_->events.Post([&] {
    return [handle, tone, tone_buffer](Napi::Env env) -> Napi::Value {
      Napi::Object o = Napi::Object::New(env);
      o.Set("type", "tonechange");
      o.Set("handle", handle);
      o.Set("tone", tone);
      o.Set("toneBuffer", tone_buffer);
      return o;
    };
  });
}

void TransceiverCore::OnFirstPacketReceived(cricket::MediaType media_type) {
  int handle = this->handle;
  connection_->events.Post([&] {
    return [handle](Napi::Env env) -> Napi::Value {
      Napi::Object o = Napi::Object::New(env);
      o.Set("type", "unmute");
      o.Set("handle", handle);
      return o;
    };
  });
}

// ---------------------------------------------------------------------------------------------
// RTCRtpTransceiver

namespace {
struct WrapInit {
  std::shared_ptr<TransceiverCore> core;
  std::shared_ptr<PeerConnectionCore> connection;
  Napi::Object transceiver;  // for the sender and receiver wrappers: their transceiver
};
}  // namespace

Napi::Function RTCRtpTransceiver::Init(Napi::Env env) {
  return DefineClass(
      env, "RtpTransceiver",
      {
          InstanceAccessor<&RTCRtpTransceiver::Handle>("handle"),
          InstanceMethod<&RTCRtpTransceiver::Kind>("kind"),
          InstanceMethod<&RTCRtpTransceiver::Mid>("mid"),
          InstanceMethod<&RTCRtpTransceiver::Direction>("direction"),
          InstanceMethod<&RTCRtpTransceiver::CurrentDirection>("currentDirection"),
          InstanceMethod<&RTCRtpTransceiver::Stopped>("stopped"),
          InstanceMethod<&RTCRtpTransceiver::SetDirection>("setDirection"),
          InstanceMethod<&RTCRtpTransceiver::Stop>("stop"),
          InstanceMethod<&RTCRtpTransceiver::SetCodecPreferences>("setCodecPreferences"),
          InstanceMethod<&RTCRtpTransceiver::Sender>("sender"),
          InstanceMethod<&RTCRtpTransceiver::Receiver>("receiver"),
      });
}

Napi::Object RTCRtpTransceiver::Wrap(Napi::Env env, std::shared_ptr<TransceiverCore> core,
                                     std::shared_ptr<PeerConnectionCore> connection) {
  AddonData* data = AddonData::Get(env);
  WrapInit init{std::move(core), std::move(connection), Napi::Object()};
  return data->transceiver_ctor.New({Napi::External<WrapInit>::New(env, &init)});
}

RTCRtpTransceiver::RTCRtpTransceiver(const Napi::CallbackInfo& info)
    : Napi::ObjectWrap<RTCRtpTransceiver>(info) {
  Napi::Env env = info.Env();
  if (!info[0].IsExternal()) {
    throw Napi::TypeError::New(env, "RtpTransceiver is made by PeerConnection");
  }
  WrapInit* init = info[0].As<Napi::External<WrapInit>>().Data();
  core_ = init->core;
  AddonData* data = AddonData::Get(env);
  // The sender and receiver wrappers, made once: one JS object per libwebrtc object.
  init->transceiver = info.This().As<Napi::Object>();
  Napi::External<WrapInit> external = Napi::External<WrapInit>::New(env, init);
  sender_ = Napi::Persistent(data->sender_ctor.New({external}));
  receiver_ = Napi::Persistent(data->receiver_ctor.New({external}));
  receiver_native_ = RTCRtpReceiver::Unwrap(receiver_.Value());
}

void RTCRtpTransceiver::Detach() {
  if (!core_->transceiver) return;
  mid_ = core_->transceiver->mid();
  direction_ = core_->transceiver->direction();
  // No N-API call: this may run from a cleanup hook or a finalizer.
  receiver_native_->EndTrack();
  core_->Detach();
}

Napi::Value RTCRtpTransceiver::Handle(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), core_->handle);
}

Napi::Value RTCRtpTransceiver::Kind(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), core_->video ? "video" : "audio");
}

Napi::Value RTCRtpTransceiver::Mid(const Napi::CallbackInfo& info) {
  absl::optional<std::string> mid = core_->transceiver ? core_->transceiver->mid() : mid_;
  return mid ? Napi::Value(Napi::String::New(info.Env(), *mid)) : info.Env().Null();
}

Napi::Value RTCRtpTransceiver::Direction(const Napi::CallbackInfo& info) {
  return Napi::String::New(
      info.Env(), ToString(core_->transceiver ? core_->transceiver->direction() : direction_));
}

Napi::Value RTCRtpTransceiver::CurrentDirection(const Napi::CallbackInfo& info) {
  if (!core_->transceiver) return info.Env().Null();
  absl::optional<webrtc::RtpTransceiverDirection> current = core_->transceiver->current_direction();
  return current ? Napi::Value(Napi::String::New(info.Env(), ToString(*current)))
                 : info.Env().Null();
}

Napi::Value RTCRtpTransceiver::Stopped(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), !core_->transceiver || core_->transceiver->stopped());
}

Napi::Value RTCRtpTransceiver::SetDirection(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!core_->transceiver) {
    return ErrorRecord(env, "InvalidStateError", "The connection is closed.");
  }
  webrtc::RTCError error =
      core_->transceiver->SetDirectionWithError(ParseDirection(info[0].ToString().Utf8Value()));
  return error.ok() ? env.Null() : Napi::Value(ErrorRecord(env, error));
}

Napi::Value RTCRtpTransceiver::Stop(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!core_->transceiver) {
    return ErrorRecord(env, "InvalidStateError", "The connection is closed.");
  }
  webrtc::RTCError error = core_->transceiver->StopStandard();
  return error.ok() ? env.Null() : Napi::Value(ErrorRecord(env, error));
}

// setCodecPreferences(codecs: RtpCodecRecord[]) -> ErrorRecord | null
Napi::Value RTCRtpTransceiver::SetCodecPreferences(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!core_->transceiver) {
    return ErrorRecord(env, "InvalidStateError", "The connection is closed.");
  }
  std::vector<webrtc::RtpCodecCapability> codecs;
  if (info[0].IsArray()) {
    Napi::Array list = info[0].As<Napi::Array>();
    for (uint32_t i = 0; i < list.Length(); ++i) {
      webrtc::RtpCodecCapability codec;
      if (!ToCodecCapability(list.Get(i), &codec)) {
        return ErrorRecord(env, "InvalidModificationError", "Not a codec capability.");
      }
      codecs.push_back(std::move(codec));
    }
  }
  webrtc::RTCError error = core_->transceiver->SetCodecPreferences(codecs);
  return error.ok() ? env.Null() : Napi::Value(ErrorRecord(env, error));
}

Napi::Value RTCRtpTransceiver::Sender(const Napi::CallbackInfo& info) { return sender_.Value(); }

Napi::Value RTCRtpTransceiver::Receiver(const Napi::CallbackInfo& info) {
  return receiver_.Value();
}

// ---------------------------------------------------------------------------------------------
// RTCRtpSender

namespace {
// The DTLS transport as { handle, state }, or null (not negotiated yet, or closed).
Napi::Value TransportHandle(Napi::Env env, const std::weak_ptr<PeerConnectionCore>& weak,
                            rtc::scoped_refptr<webrtc::DtlsTransportInterface> transport) {
  std::shared_ptr<PeerConnectionCore> connection = weak.lock();
  if (!transport || !connection) return env.Null();
  Napi::Object o = Napi::Object::New(env);
  o.Set("handle", connection->dtls_transports.Handle(transport, connection));
  o.Set("state", ToString(transport->Information().state()));
  return o;
}
}  // namespace

Napi::Function RTCRtpSender::Init(Napi::Env env) {
  return DefineClass(env, "RtpSender",
                     {
                         InstanceMethod<&RTCRtpSender::SetTrack>("setTrack"),
                         InstanceMethod<&RTCRtpSender::GetParameters>("getParameters"),
                         InstanceMethod<&RTCRtpSender::SetParameters>("setParameters"),
                         InstanceMethod<&RTCRtpSender::SetStreams>("setStreams"),
                         InstanceMethod<&RTCRtpSender::Transport>("transport"),
                         InstanceMethod<&RTCRtpSender::InsertDtmf>("insertDtmf"),
                         InstanceMethod<&RTCRtpSender::ToneBuffer>("toneBuffer"),
                         InstanceMethod<&RTCRtpSender::CanInsertDtmf>("canInsertDtmf"),
                     });
}

RTCRtpSender* RTCRtpSender::FromValue(Napi::Value value) {
  if (!value.IsObject()) return nullptr;
  AddonData* data = AddonData::Get(value.Env());
  if (!value.As<Napi::Object>().InstanceOf(data->sender_ctor.Value())) return nullptr;
  return Unwrap(value.As<Napi::Object>());
}

RTCRtpSender::RTCRtpSender(const Napi::CallbackInfo& info) : Napi::ObjectWrap<RTCRtpSender>(info) {
  if (!info[0].IsExternal()) {
    throw Napi::TypeError::New(info.Env(), "RtpSender is made by RtpTransceiver");
  }
  WrapInit* init = info[0].As<Napi::External<WrapInit>>().Data();
  core_ = init->core;
  connection_ = init->connection;
}

// setTrack(track: MediaStreamTrack | null) -> boolean (libwebrtc refused when false)
Napi::Value RTCRtpSender::SetTrack(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!core_->sender) return Napi::Boolean::New(env, false);
  webrtc::MediaStreamTrackInterface* track = nullptr;
  if (!info[0].IsNull() && !info[0].IsUndefined()) {
    MediaStreamTrack* wrapper = MediaStreamTrack::FromValue(info[0]);
    if (!wrapper) throw Napi::TypeError::New(env, "setTrack(track | null)");
    track = wrapper->track();
    if (!track) return Napi::Boolean::New(env, false);  // an ended track
  }
  return Napi::Boolean::New(env, core_->sender->SetTrack(track));
}

Napi::Value RTCRtpSender::GetParameters(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!core_->sender) return env.Null();
  core_->last_parameters = core_->sender->GetParameters();
  return ToJs(env, *core_->last_parameters, true);
}

// setParameters(record) -> ErrorRecord | null. lib/ has applied the spec's checks
// (transactionId, read-only members); the writable members go into the last returned ones.
Napi::Value RTCRtpSender::SetParameters(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!core_->sender) return ErrorRecord(env, "InvalidStateError", "The connection is closed.");
  if (!info[0].IsObject() || !core_->last_parameters) {
    return ErrorRecord(env, "InvalidStateError", "getParameters() was not called.");
  }
  webrtc::RtpParameters parameters = *core_->last_parameters;
  ApplySendParameters(info[0].As<Napi::Object>(), &parameters);
  webrtc::RTCError error = core_->sender->SetParameters(parameters);
  core_->last_parameters.reset();
  return error.ok() ? env.Null() : Napi::Value(ErrorRecord(env, error));
}

Napi::Value RTCRtpSender::SetStreams(const Napi::CallbackInfo& info) {
  std::vector<std::string> ids;
  if (info[0].IsArray()) {
    Napi::Array list = info[0].As<Napi::Array>();
    for (uint32_t i = 0; i < list.Length(); ++i) ids.push_back(list.Get(i).ToString().Utf8Value());
  }
  if (core_->sender) core_->sender->SetStreams(ids);
  return info.Env().Undefined();
}

Napi::Value RTCRtpSender::Transport(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!core_->sender) return env.Null();
  return TransportHandle(env, connection_, core_->sender->dtls_transport());
}

// insertDtmf(tones, duration, interToneGap) -> boolean; lib/ has validated and clamped them.
Napi::Value RTCRtpSender::InsertDtmf(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!core_->dtmf) return Napi::Boolean::New(env, false);
  return Napi::Boolean::New(
      env, core_->dtmf->InsertDtmf(info[0].ToString().Utf8Value(), info[1].ToNumber().Int32Value(),
                                   info[2].ToNumber().Int32Value()));
}

Napi::Value RTCRtpSender::ToneBuffer(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), core_->dtmf ? core_->dtmf->tones() : "");
}

Napi::Value RTCRtpSender::CanInsertDtmf(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), core_->dtmf && core_->dtmf->CanInsertDtmf());
}

// ---------------------------------------------------------------------------------------------
// RTCRtpReceiver

Napi::Function RTCRtpReceiver::Init(Napi::Env env) {
  return DefineClass(
      env, "RtpReceiver",
      {
          InstanceMethod<&RTCRtpReceiver::Track>("track"),
          InstanceMethod<&RTCRtpReceiver::GetParameters>("getParameters"),
          InstanceMethod<&RTCRtpReceiver::GetSources>("getSources"),
          InstanceMethod<&RTCRtpReceiver::SetJitterBufferTarget>("setJitterBufferTarget"),
          InstanceMethod<&RTCRtpReceiver::Transport>("transport"),
          InstanceMethod<&RTCRtpReceiver::StreamIds>("streamIds"),
      });
}

RTCRtpReceiver* RTCRtpReceiver::FromValue(Napi::Value value) {
  if (!value.IsObject()) return nullptr;
  AddonData* data = AddonData::Get(value.Env());
  if (!value.As<Napi::Object>().InstanceOf(data->receiver_ctor.Value())) return nullptr;
  return Unwrap(value.As<Napi::Object>());
}

RTCRtpReceiver::RTCRtpReceiver(const Napi::CallbackInfo& info)
    : Napi::ObjectWrap<RTCRtpReceiver>(info) {
  Napi::Env env = info.Env();
  if (!info[0].IsExternal()) {
    throw Napi::TypeError::New(env, "RtpReceiver is made by RtpTransceiver");
  }
  WrapInit* init = info[0].As<Napi::External<WrapInit>>().Data();
  core_ = init->core;
  connection_ = init->connection;
  std::shared_ptr<Runtime> runtime = AddonData::Get(env)->AcquireRuntime();
  if (core_->receiver && runtime) {
    Napi::Object track =
        MediaStreamTrack::Wrap(env, std::move(runtime), core_->receiver->track(), nullptr);
    track_ = Napi::Persistent(track);
    track_native_ = MediaStreamTrack::Unwrap(track);
  }
}

void RTCRtpReceiver::EndTrack() {
  if (track_native_) track_native_->Release();
}

Napi::Value RTCRtpReceiver::Track(const Napi::CallbackInfo& info) {
  return track_.IsEmpty() ? info.Env().Null() : track_.Value();
}

Napi::Value RTCRtpReceiver::GetParameters(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!core_->receiver) return env.Null();
  return ToJs(env, core_->receiver->GetParameters(), false);
}

// getSources() -> [{ source, type: 'ssrc' | 'csrc', timestamp, rtpTimestamp, audioLevel? }],
// timestamps in milliseconds since the epoch, as performance.timeOrigin + performance.now().
Napi::Value RTCRtpReceiver::GetSources(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Array list = Napi::Array::New(env);
  if (!core_->receiver) return list;
  double epoch_now_ms =
      std::chrono::duration<double, std::milli>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  int64_t monotonic_now_ms = rtc::TimeMillis();
  uint32_t i = 0;
  for (const webrtc::RtpSource& source : core_->receiver->GetSources()) {
    Napi::Object o = Napi::Object::New(env);
    o.Set("source", static_cast<double>(source.source_id()));
    o.Set("type", source.source_type() == webrtc::RtpSourceType::SSRC ? "ssrc" : "csrc");
    o.Set("timestamp",
          epoch_now_ms - static_cast<double>(monotonic_now_ms - source.timestamp_ms()));
    o.Set("rtpTimestamp", static_cast<double>(source.rtp_timestamp()));
    if (source.audio_level()) {
      // RFC 6464: -dBov in 0..127; the spec's audioLevel is linear, 0..1.
      o.Set("audioLevel", std::pow(10.0, -static_cast<double>(*source.audio_level()) / 20.0));
    }
    list.Set(i++, o);
  }
  return list;
}

// setJitterBufferTarget(milliseconds | null)
Napi::Value RTCRtpReceiver::SetJitterBufferTarget(const Napi::CallbackInfo& info) {
  if (core_->receiver) {
    absl::optional<double> seconds;
    if (info[0].IsNumber()) seconds = info[0].As<Napi::Number>().DoubleValue() / 1000.0;
    core_->receiver->SetJitterBufferMinimumDelay(seconds);
  }
  return info.Env().Undefined();
}

Napi::Value RTCRtpReceiver::Transport(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!core_->receiver) return env.Null();
  return TransportHandle(env, connection_, core_->receiver->dtls_transport());
}

Napi::Value RTCRtpReceiver::StreamIds(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Array list = Napi::Array::New(env);
  if (!core_->receiver) return list;
  uint32_t i = 0;
  for (const std::string& id : core_->receiver->stream_ids()) list.Set(i++, id);
  return list;
}

}  // namespace lwn
