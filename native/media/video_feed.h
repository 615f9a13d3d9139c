// A source of video frames feeding any number of libwebrtc video tracks: RTCVideoSource
// (frames from JS), a camera, a screen. Each track gets a source of its own (OwnTrackSource),
// so that stopping a track ends that one alone; Deliver() hands each frame to every live one.
// When the last track ends, the feed tells its owner (a device then stops capturing).
#ifndef LWN_MEDIA_VIDEO_FEED_H_
#define LWN_MEDIA_VIDEO_FEED_H_

#include <functional>
#include <mutex>
#include <vector>

#include "api/video/video_frame.h"
#include "media/media_stream_track.h"

namespace lwn {

class VideoFeed : public std::enable_shared_from_this<VideoFeed> {
 public:
  // Not owned: each track's wrapper holds the runtime while the track lives, so a feed with no
  // live track does not keep libwebrtc's threads running.
  VideoFeed(AddonData* data, bool is_screencast, absl::optional<bool> needs_denoising);
  ~VideoFeed();

  // JS thread: a new track fed from here (null once ended); `runtime` is the environment's.
  rtc::scoped_refptr<webrtc::MediaStreamTrackInterface> NewTrack(
      Runtime* runtime, const std::string& id, std::shared_ptr<OwnTrackSource>* own);
  // Any thread: one frame to every live track (each adapts it to what its sinks want).
  void Deliver(const webrtc::VideoFrame& frame);
  // Any thread.
  bool HasTracks();
  // JS thread: every track ends; no new ones can be made.
  void End();
  // JS thread: `idle` runs (on the JS thread) whenever the last live track ends.
  void SetOnIdle(std::function<void()> idle) { on_idle_ = std::move(idle); }
  bool is_screencast() const { return is_screencast_; }

  class TrackSource;

 private:
  friend class OwnVideoTrackSource;
  void Remove(TrackSource* source);  // JS thread

  AddonData* const data_;
  const bool is_screencast_;
  const absl::optional<bool> needs_denoising_;
  std::function<void()> on_idle_;  // JS thread
  bool ended_ = false;             // JS thread
  std::mutex mutex_;
  std::vector<rtc::scoped_refptr<TrackSource>> live_;  // guarded by mutex_
  std::atomic<int> width_{0}, height_{0};
  std::atomic<double> frame_rate_{0};
  std::atomic<int64_t> last_frame_us_{0};
};

}  // namespace lwn

#endif  // LWN_MEDIA_VIDEO_FEED_H_
