// RTCPeerConnection's RTP media (webrtc-pc §5.1): tracks, transceivers, and the events that
// report remote tracks.
#include "media/media_stream_track.h"
#include "media/rtc_rtp_transceiver.h"
#include "media/rtp_parameters.h"
#include "peer/rtc_peer_connection.h"

namespace lwn {

// ---------------------------------------------------------------------------------------------
// PeerConnectionCore: the transceiver registry

std::shared_ptr<TransceiverCore> PeerConnectionCore::Transceiver(
    const rtc::scoped_refptr<webrtc::RtpTransceiverInterface>& transceiver) {
  if (!transceiver) return nullptr;
  int handle;
  {
    std::lock_guard<std::mutex> lock(transceivers_mutex_);
    if (transceivers_closed_) return nullptr;
    for (auto& core : transceivers_) {
      if (core->transceiver == transceiver) return core;
    }
    handle = next_transceiver_handle_++;
  }
  // Made outside the lock: its constructor calls libwebrtc's proxies, which may wait for the
  // signaling thread, which may itself be waiting for this lock (OnTrack).
  auto made = std::make_shared<TransceiverCore>(this, transceiver, handle);
  std::lock_guard<std::mutex> lock(transceivers_mutex_);
  if (transceivers_closed_) return nullptr;  // `made` detaches itself as it goes
  for (auto& core : transceivers_) {
    if (core->transceiver == transceiver) return core;  // another thread was first
  }
  transceivers_.push_back(made);
  return made;
}

std::shared_ptr<TransceiverCore> PeerConnectionCore::TransceiverOfReceiver(
    webrtc::RtpReceiverInterface* receiver) {
  std::lock_guard<std::mutex> lock(transceivers_mutex_);
  for (auto& core : transceivers_) {
    if (core->receiver.get() == receiver) return core;
  }
  return nullptr;
}

Napi::Value PeerConnectionCore::WrapTransceiver(Napi::Env env,
                                                const std::shared_ptr<TransceiverCore>& core) {
  if (!core || !core->transceiver) return env.Undefined();
  auto it = transceiver_wrappers_.find(core.get());
  if (it != transceiver_wrappers_.end()) return it->second.wrapper.Value();
  Napi::Object wrapper = RTCRtpTransceiver::Wrap(env, core, shared_from_this());
  transceiver_wrappers_[core.get()] = {Napi::Persistent(wrapper),
                                       RTCRtpTransceiver::Unwrap(wrapper)};
  return wrapper;
}

void PeerConnectionCore::DetachTransceivers() {
  std::vector<std::shared_ptr<TransceiverCore>> cores;
  {
    std::lock_guard<std::mutex> lock(transceivers_mutex_);
    transceivers_closed_ = true;
    cores.swap(transceivers_);
  }
  // No N-API call here: this may run from the environment's cleanup hook (a worker being
  // terminated) or a finalizer. The wrappers' references keep `native` alive until cleared.
  for (auto& [raw, entry] : transceiver_wrappers_) entry.native->Detach();
  transceiver_wrappers_.clear();
  for (auto& core : cores) core->Detach();
}

void PeerConnectionCore::OnTrack(rtc::scoped_refptr<webrtc::RtpTransceiverInterface> transceiver) {
  std::shared_ptr<TransceiverCore> core = Transceiver(transceiver);
  if (!core) return;
  std::vector<std::string> stream_ids = core->receiver->stream_ids();
  events.Post([&] {
    return [self = shared_from_this(), core, stream_ids](Napi::Env env) -> Napi::Value {
      Napi::Value wrapper = self->WrapTransceiver(env, core);
      if (wrapper.IsUndefined()) return wrapper;  // closed meanwhile
      Napi::Object o = Napi::Object::New(env);
      o.Set("type", "track");
      o.Set("transceiver", wrapper);
      Napi::Array ids = Napi::Array::New(env, stream_ids.size());
      for (uint32_t i = 0; i < stream_ids.size(); ++i) ids.Set(i, stream_ids[i]);
      o.Set("streamIds", ids);
      return o;
    };
  });
}

void PeerConnectionCore::OnRemoveTrack(rtc::scoped_refptr<webrtc::RtpReceiverInterface> receiver) {
  std::shared_ptr<TransceiverCore> core = TransceiverOfReceiver(receiver.get());
  if (!core) return;
  int handle = core->handle;
  events.Post([&] {
    return [handle](Napi::Env env) -> Napi::Value {
      Napi::Object o = Napi::Object::New(env);
      o.Set("type", "removetrack");
      o.Set("handle", handle);
      return o;
    };
  });
}

// ---------------------------------------------------------------------------------------------
// RTCPeerConnection

namespace {
std::vector<std::string> ReadStrings(const Napi::Value& value) {
  std::vector<std::string> out;
  if (!value.IsArray()) return out;
  Napi::Array list = value.As<Napi::Array>();
  for (uint32_t i = 0; i < list.Length(); ++i) out.push_back(list.Get(i).ToString().Utf8Value());
  return out;
}
}  // namespace

// addTrack(track, streamIds) -> RtpTransceiver (the sender's) | ErrorRecord
Napi::Value RTCPeerConnection::AddTrack(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!CheckOpen(env)) return env.Undefined();
  MediaStreamTrack* track = MediaStreamTrack::FromValue(info[0]);
  if (!track) throw Napi::TypeError::New(env, "addTrack(track, streamIds)");
  if (!track->track()) return ErrorRecord(env, "InvalidAccessError", "The track has ended.");
  auto result = core_->pc->AddTrack(track->track_ref(), ReadStrings(info[1]));
  if (!result.ok()) return ErrorRecord(env, result.error());
  rtc::scoped_refptr<webrtc::RtpSenderInterface> sender = result.MoveValue();
  for (auto& transceiver : core_->pc->GetTransceivers()) {
    if (transceiver->sender() == sender) {
      return core_->WrapTransceiver(env, core_->Transceiver(transceiver));
    }
  }
  return ErrorRecord(env, "OperationError", "libwebrtc made a sender without a transceiver.");
}

// removeTrack(sender) -> ErrorRecord | null
Napi::Value RTCPeerConnection::RemoveTrack(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!CheckOpen(env)) return env.Undefined();
  RTCRtpSender* sender = RTCRtpSender::FromValue(info[0]);
  if (!sender) throw Napi::TypeError::New(env, "removeTrack(sender)");
  if (!sender->core()->sender) return env.Null();
  webrtc::RTCError error = core_->pc->RemoveTrackOrError(sender->core()->sender);
  return error.ok() ? env.Null() : Napi::Value(ErrorRecord(env, error));
}

// addTransceiver(kind | track, { direction, streamIds, sendEncodings })
//   -> RtpTransceiver | ErrorRecord
Napi::Value RTCPeerConnection::AddTransceiver(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!CheckOpen(env)) return env.Undefined();
  if (!info[1].IsObject()) throw Napi::TypeError::New(env, "addTransceiver(kind | track, init)");
  Napi::Object record = info[1].As<Napi::Object>();
  webrtc::RtpTransceiverInit init;
  init.direction = ParseDirection(GetString(record, "direction"));
  init.stream_ids = ReadStrings(record.Get("streamIds"));
  init.send_encodings = ToEncodings(record.Get("sendEncodings"));
  webrtc::RTCErrorOr<rtc::scoped_refptr<webrtc::RtpTransceiverInterface>> result;
  if (info[0].IsString()) {
    std::string kind = info[0].As<Napi::String>().Utf8Value();
    result = core_->pc->AddTransceiver(
        kind == "video" ? cricket::MEDIA_TYPE_VIDEO : cricket::MEDIA_TYPE_AUDIO, init);
  } else {
    MediaStreamTrack* track = MediaStreamTrack::FromValue(info[0]);
    if (!track) throw Napi::TypeError::New(env, "addTransceiver(kind | track, init)");
    if (!track->track()) return ErrorRecord(env, "InvalidAccessError", "The track has ended.");
    result = core_->pc->AddTransceiver(track->track_ref(), init);
  }
  if (!result.ok()) return ErrorRecord(env, result.error());
  return core_->WrapTransceiver(env, core_->Transceiver(result.MoveValue()));
}

Napi::Value RTCPeerConnection::GetTransceivers(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Array list = Napi::Array::New(env);
  // Closed: the wrappers lib/ already holds are the whole answer (it caches them).
  if (closed_) return list;
  uint32_t i = 0;
  for (auto& transceiver : core_->pc->GetTransceivers()) {
    list.Set(i++, core_->WrapTransceiver(env, core_->Transceiver(transceiver)));
  }
  return list;
}

}  // namespace lwn
