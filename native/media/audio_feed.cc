#include "media/audio_feed.h"

#include "api/notifier.h"
#include "rtc_base/time_utils.h"

namespace lwn {

// One track's source: the sinks libwebrtc attaches (the sender's, on the signaling thread) get
// each 10 ms frame, on the thread that delivers it.
class AudioFeed::TrackSource : public webrtc::Notifier<webrtc::AudioSourceInterface> {
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

class OwnAudioTrackSource : public OwnTrackSource {
 public:
  OwnAudioTrackSource(std::shared_ptr<AudioFeed> feed,
                      rtc::scoped_refptr<AudioFeed::TrackSource> source)
      : feed_(std::move(feed)), source_(std::move(source)) {}

  void End() override { feed_->tracks_.Remove(source_.get()); }

  rtc::scoped_refptr<webrtc::MediaStreamTrackInterface> NewTrack(
      Runtime* runtime, const std::string& id, std::shared_ptr<OwnTrackSource>* own) override {
    return feed_->NewTrack(runtime, id, own);
  }

  void Settings(Napi::Object out) override {
    if (feed_->sample_rate_ != 0) {
      out.Set("sampleRate", feed_->sample_rate_.load());
      out.Set("channelCount", feed_->channels_.load());
      out.Set("sampleSize", 16);
    }
    if (feed_->extra_) feed_->extra_(out);
  }

 private:
  std::shared_ptr<AudioFeed> feed_;
  rtc::scoped_refptr<AudioFeed::TrackSource> source_;
};

AudioFeed::AudioFeed(AddonData* data) : tracks_(data) {}

AudioFeed::~AudioFeed() = default;

rtc::scoped_refptr<webrtc::MediaStreamTrackInterface> AudioFeed::NewTrack(
    Runtime* runtime, const std::string& id, std::shared_ptr<OwnTrackSource>* own) {
  if (tracks_.ended() || !runtime) return nullptr;
  auto source = rtc::make_ref_counted<TrackSource>();
  rtc::scoped_refptr<webrtc::AudioTrackInterface> track =
      runtime->factory()->CreateAudioTrack(id, source.get());
  if (!track) return nullptr;
  tracks_.Add(source);
  *own = std::make_shared<OwnAudioTrackSource>(shared_from_this(), source);
  return track;
}

void AudioFeed::Deliver(const int16_t* data, int sample_rate, size_t channels, size_t frames) {
  sample_rate_ = sample_rate;
  channels_ = static_cast<int>(channels);
  int64_t capture_ms = rtc::TimeMillis();
  for (auto& source : tracks_.Live()) {
    source->Deliver(data, sample_rate, channels, frames, capture_ms);
  }
}

bool AudioFeed::HasTracks() { return tracks_.HasTracks(); }

void AudioFeed::End() { tracks_.End(); }

}  // namespace lwn
