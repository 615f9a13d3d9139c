#include "media/audio_source.h"

#include "api/notifier.h"
#include "rtc_base/time_utils.h"

namespace lwn {

// One track's source: the sinks libwebrtc attaches (the sender's, on the signaling thread)
// get each 10 ms frame, on the thread that delivers it (the JS thread).
class RTCAudioSource::TrackSource : public webrtc::Notifier<webrtc::AudioSourceInterface> {
 public:
  void Deliver(const int16_t* data, int sample_rate, size_t channels, size_t frames,
               int64_t capture_ms) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (webrtc::AudioTrackSinkInterface* sink : sinks_) {
      sink->OnData(data, 16, sample_rate, channels, frames, capture_ms);
    }
  }

  // JS thread: ends the source and with it the track (on the signaling thread, where
  // AudioTrack observes its source).
  void End(rtc::Thread* signaling_thread) {
    if (state_.exchange(kEnded) == kEnded) return;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      sinks_.clear();
    }
    signaling_thread->PostTask(
        [self = rtc::scoped_refptr<TrackSource>(this)] { self->FireOnChanged(); });
  }

  // webrtc::AudioSourceInterface.
  SourceState state() const override { return state_; }
  bool remote() const override { return false; }
  void AddSink(webrtc::AudioTrackSinkInterface* sink) override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (state_ == kEnded) return;
    sinks_.push_back(sink);
  }
  void RemoveSink(webrtc::AudioTrackSinkInterface* sink) override {
    std::lock_guard<std::mutex> lock(mutex_);
    sinks_.erase(std::remove(sinks_.begin(), sinks_.end(), sink), sinks_.end());
  }

 private:
  std::atomic<SourceState> state_{kLive};
  std::mutex mutex_;
  std::vector<webrtc::AudioTrackSinkInterface*> sinks_;  // guarded by mutex_
};

namespace {

class OwnAudioSource : public OwnTrackSource {
 public:
  OwnAudioSource(std::shared_ptr<RTCAudioSource::Hub> hub,
                 rtc::scoped_refptr<RTCAudioSource::TrackSource> source)
      : hub_(std::move(hub)), source_(std::move(source)) {}

  static rtc::scoped_refptr<webrtc::MediaStreamTrackInterface> Make(
      const std::shared_ptr<RTCAudioSource::Hub>& hub, Runtime* runtime, const std::string& id,
      std::shared_ptr<OwnTrackSource>* own) {
    if (hub->released || !runtime) return nullptr;
    auto source = rtc::make_ref_counted<RTCAudioSource::TrackSource>();
    rtc::scoped_refptr<webrtc::AudioTrackInterface> track =
        runtime->factory()->CreateAudioTrack(id, source.get());
    if (!track) return nullptr;
    {
      std::lock_guard<std::mutex> lock(hub->mutex);
      hub->live.push_back(source);
    }
    *own = std::make_shared<OwnAudioSource>(hub, source);
    return track;
  }

  void End() override {
    {
      std::lock_guard<std::mutex> lock(hub_->mutex);
      auto& live = hub_->live;
      live.erase(std::remove(live.begin(), live.end(), source_), live.end());
    }
    // The track being released still holds the runtime, so it is there.
    if (std::shared_ptr<Runtime> runtime = hub_->data->runtime.lock()) {
      source_->End(runtime->signaling_thread());
    }
  }

  rtc::scoped_refptr<webrtc::MediaStreamTrackInterface> NewTrack(
      Runtime* runtime, const std::string& id, std::shared_ptr<OwnTrackSource>* own) override {
    return Make(hub_, runtime, id, own);
  }

  void Settings(Napi::Object out) override {
    if (hub_->sample_rate == 0) return;
    out.Set("sampleRate", hub_->sample_rate.load());
    out.Set("channelCount", hub_->channels.load());
    out.Set("sampleSize", 16);
  }

 private:
  std::shared_ptr<RTCAudioSource::Hub> hub_;
  rtc::scoped_refptr<RTCAudioSource::TrackSource> source_;
};

}  // namespace

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
  hub_ = std::make_shared<Hub>();
  hub_->data = data_;
  data_->media.insert(this);
}

RTCAudioSource::~RTCAudioSource() { Release(); }

void RTCAudioSource::Release() {
  if (!hub_ || hub_->released) return;
  hub_->released = true;
  std::vector<rtc::scoped_refptr<TrackSource>> live;
  {
    std::lock_guard<std::mutex> lock(hub_->mutex);
    live.swap(hub_->live);
  }
  // Live sources mean live tracks, whose wrappers hold the runtime.
  if (std::shared_ptr<Runtime> runtime = data_->runtime.lock()) {
    for (auto& source : live) source->End(runtime->signaling_thread());
  }
  data_->media.erase(this);
}

Napi::Value RTCAudioSource::CreateTrack(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::shared_ptr<OwnTrackSource> own;
  std::shared_ptr<Runtime> runtime = data_->AcquireRuntime();
  auto track = OwnAudioSource::Make(hub_, runtime.get(), info[0].ToString().Utf8Value(), &own);
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
    hub_->sample_rate = rate;
    hub_->channels = channels;
  }
  const size_t frames_per_10ms = static_cast<size_t>(rate / 100);
  const size_t chunk = frames_per_10ms * channels;
  std::vector<rtc::scoped_refptr<TrackSource>> live;
  {
    std::lock_guard<std::mutex> lock(hub_->mutex);
    live = hub_->live;
  }
  int64_t capture_ms = rtc::TimeMillis();
  auto deliver = [&](const int16_t* frame) {
    for (auto& source : live) source->Deliver(frame, rate, channels, frames_per_10ms, capture_ms);
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
