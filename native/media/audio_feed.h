// A source of 10 ms PCM frames feeding any number of libwebrtc audio tracks: RTCAudioSource
// (PCM from JS), a microphone. As for video (media/video_feed.h), each track has a source of its
// own (media/feed_tracks.h), and the feed tells its owner when the last track ends.
#ifndef LWN_MEDIA_AUDIO_FEED_H_
#define LWN_MEDIA_AUDIO_FEED_H_

#include <atomic>
#include <functional>

#include "media/feed_tracks.h"
#include "media/media_stream_track.h"

namespace lwn {

class AudioFeed : public std::enable_shared_from_this<AudioFeed> {
 public:
  explicit AudioFeed(AddonData* data);
  ~AudioFeed();

  // JS thread: a new track fed from here (null once ended).
  rtc::scoped_refptr<webrtc::MediaStreamTrackInterface> NewTrack(
      Runtime* runtime, const std::string& id, std::shared_ptr<OwnTrackSource>* own);
  // Any thread: one 10 ms frame of interleaved 16-bit PCM to every live track.
  void Deliver(const int16_t* data, int sample_rate, size_t channels, size_t frames);
  bool HasTracks();
  // JS thread.
  void End();
  void SetOnIdle(std::function<void()> idle) { tracks_.SetOnIdle(std::move(idle)); }
  // What getSettings() reports beside the format (device tracks add their own).
  void SetExtraSettings(std::function<void(Napi::Object)> extra) { extra_ = std::move(extra); }

  class TrackSource;

 private:
  friend class OwnAudioTrackSource;

  std::function<void(Napi::Object)> extra_;  // JS thread
  FeedTracks<TrackSource> tracks_;
  std::atomic<int> sample_rate_{0}, channels_{0};
};

}  // namespace lwn

#endif  // LWN_MEDIA_AUDIO_FEED_H_
