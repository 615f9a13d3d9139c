// A source of video frames feeding any number of libwebrtc video tracks: RTCVideoSource
// (frames from JS), a camera, a screen. Each track gets a source of its own (OwnTrackSource,
// media/feed_tracks.h); Deliver() hands each frame to every live one.
#ifndef LWN_MEDIA_VIDEO_FEED_H_
#define LWN_MEDIA_VIDEO_FEED_H_

#include <atomic>
#include <functional>

#include "api/video/video_frame.h"
#include "media/feed_tracks.h"
#include "media/media_stream_track.h"

namespace lwn {

class VideoFeed : public std::enable_shared_from_this<VideoFeed> {
 public:
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
  void SetOnIdle(std::function<void()> idle) { tracks_.SetOnIdle(std::move(idle)); }
  bool is_screencast() const { return is_screencast_; }

  class TrackSource;

 private:
  friend class OwnVideoTrackSource;

  const bool is_screencast_;
  const absl::optional<bool> needs_denoising_;
  FeedTracks<TrackSource> tracks_;
  std::atomic<int> width_{0}, height_{0};
  std::atomic<double> frame_rate_{0};
  std::atomic<int64_t> last_frame_us_{0};
};

}  // namespace lwn

#endif  // LWN_MEDIA_VIDEO_FEED_H_
