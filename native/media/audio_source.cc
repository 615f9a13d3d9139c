#include "media/audio_source.h"

#include "api/notifier.h"
#include "rtc_base/time_utils.h"

namespace lwn {

Napi::Function RTCAudioSource::Init(Napi::Env env) {
  return DefineClass(env, "AudioSource",
                     {
                         InstanceMethod<&RTCAudioSource::CreateTrack>("createTrack"),
                         InstanceMethod<&RTCAudioSource::OnData>("onData"),
                     });
}

RTCAudioSource::RTCAudioSource(const Napi::CallbackInfo& info)
    : Napi::ObjectWrap<RTCAudioSource>(info) {
  data_ = AddonData::Get(info.Env());
  feed_ = std::make_shared<AudioFeed>(data_);
  data_->media.insert(this);
}

RTCAudioSource::~RTCAudioSource() { Release(); }

void RTCAudioSource::Release() {
  if (released_) return;
  released_ = true;
  feed_->End();
  data_->media.erase(this);
}

Napi::Value RTCAudioSource::CreateTrack(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::shared_ptr<OwnTrackSource> own;
  std::shared_ptr<Runtime> runtime = data_->AcquireRuntime();
  auto track = feed_->NewTrack(runtime.get(), info[0].ToString().Utf8Value(), &own);
  if (!track) throw Napi::Error::New(env, "the source is released");
  return MediaStreamTrack::Wrap(env, std::move(runtime), track, own);
}

// onData(samples: Int16Array, sampleRate, channelCount), checked by lib/ already.
Napi::Value RTCAudioSource::OnData(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsTypedArray() || !info[1].IsNumber() || !info[2].IsNumber()) {
    throw Napi::TypeError::New(env, "onData(samples, sampleRate, channelCount)");
  }
  Napi::TypedArray array = info[0].As<Napi::TypedArray>();
  int rate = info[1].As<Napi::Number>().Int32Value();
  int channels = info[2].As<Napi::Number>().Int32Value();
  if (array.TypedArrayType() != napi_int16_array || rate < 8000 || rate > 384000 ||
      rate % 100 != 0 || channels < 1 || channels > 8) {
    throw Napi::TypeError::New(env, "onData: bad audio");
  }
  const int16_t* samples = reinterpret_cast<const int16_t*>(
      static_cast<const uint8_t*>(array.ArrayBuffer().Data()) + array.ByteOffset());
  size_t count = array.ElementLength() - array.ElementLength() % channels;
  if (rate != pending_rate_ || channels != pending_channels_) {
    pending_.clear();  // a new format starts afresh
    pending_rate_ = rate;
    pending_channels_ = channels;
  }
  const size_t frames_per_10ms = static_cast<size_t>(rate / 100);
  const size_t chunk = frames_per_10ms * channels;
  auto deliver = [&](const int16_t* frame) {
    feed_->Deliver(frame, rate, channels, frames_per_10ms);
  };
  size_t used = 0;
  if (!pending_.empty()) {
    size_t take = std::min(chunk - pending_.size(), count);
    pending_.insert(pending_.end(), samples, samples + take);
    used = take;
    if (pending_.size() == chunk) {
      deliver(pending_.data());
      pending_.clear();
    }
  }
  for (; used + chunk <= count; used += chunk) deliver(samples + used);
  pending_.insert(pending_.end(), samples + used, samples + count);
  return env.Undefined();
}

}  // namespace lwn
