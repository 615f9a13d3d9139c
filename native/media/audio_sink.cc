#include "media/audio_sink.h"

#include <string.h>

namespace lwn {

Napi::Function RTCAudioSink::Init(Napi::Env env) {
  return DefineClass(env, "AudioSink",
                     {
                         InstanceMethod<&RTCAudioSink::Stop>("stop"),
                         InstanceMethod<&RTCAudioSink::Dropped>("dropped"),
                     });
}

// AudioSink(track, onData)
RTCAudioSink::RTCAudioSink(const Napi::CallbackInfo& info) : Napi::ObjectWrap<RTCAudioSink>(info) {
  Napi::Env env = info.Env();
  MediaStreamTrack* track = MediaStreamTrack::FromValue(info[0]);
  if (!track || track->video() || !info[1].IsFunction()) {
    throw Napi::TypeError::New(env, "AudioSink(audioTrack, onData)");
  }
  data_ = AddonData::Get(env);
  queue_ = SinkQueue<Chunk>::Make(
      env, info[1].As<Napi::Function>(), "RTCAudioSink", kCapacity,
      [](Napi::Env env, Chunk& chunk) -> Napi::Value {
        Napi::Object o = Napi::Object::New(env);
        size_t count = chunk.samples.size();
        Napi::ArrayBuffer buffer = Napi::ArrayBuffer::New(env, count * sizeof(int16_t));
        memcpy(buffer.Data(), chunk.samples.data(), count * sizeof(int16_t));
        o.Set("samples", Napi::Int16Array::New(env, count, buffer, 0));
        o.Set("sampleRate", chunk.sample_rate);
        o.Set("bitsPerSample", 16);
        o.Set("channelCount", chunk.channels);
        o.Set("numberOfFrames", static_cast<double>(chunk.frames));
        return o;
      });
  data_->media.insert(this);
  if (!track->track()) return;
  runtime_ = data_->AcquireRuntime();
  track_ = track;
  track_ref_ = Napi::Persistent(track->Value());
  track->Attach(this);
  // Through the proxy (the signaling thread); data may arrive from now on.
  static_cast<webrtc::AudioTrackInterface*>(track->track())->AddSink(this);
}

RTCAudioSink::~RTCAudioSink() { Release(); }

void RTCAudioSink::OnData(const void* audio_data, int bits_per_sample, int sample_rate,
                          size_t number_of_channels, size_t number_of_frames) {
  if (bits_per_sample != 16) return;  // libwebrtc delivers 16-bit PCM
  const int16_t* samples = static_cast<const int16_t*>(audio_data);
  size_t count = number_of_channels * number_of_frames;
  queue_->Push(Chunk{std::vector<int16_t>(samples, samples + count), sample_rate,
                     static_cast<int>(number_of_channels), number_of_frames});
}

void RTCAudioSink::DetachFromTrack() {
  if (!track_) return;
  // Through the proxy; once it returns, OnData runs no more.
  static_cast<webrtc::AudioTrackInterface*>(track_->track())->RemoveSink(this);
  track_ = nullptr;
  track_ref_.Reset();
  runtime_.reset();
  // The track is gone for good: nothing will arrive again, and the callback is let go.
  queue_->Close();
}

void RTCAudioSink::Release() {
  if (track_) {
    MediaStreamTrack* track = track_;
    DetachFromTrack();
    track->Detach(this);
  }
  if (queue_) queue_->Close();
  data_->media.erase(this);
}

Napi::Value RTCAudioSink::Stop(const Napi::CallbackInfo& info) {
  Release();
  return info.Env().Undefined();
}

Napi::Value RTCAudioSink::Dropped(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(queue_->dropped()));
}

}  // namespace lwn
