// RTCVideoSource's native half (nonstandard, node-webrtc's name): raw frames from JS into
// libwebrtc video tracks. Each track made from it gets a source of its own (OwnTrackSource), so
// stopping one track ends that one alone; onFrame() delivers each frame to every live one.
#ifndef LWN_MEDIA_VIDEO_SOURCE_H_
#define LWN_MEDIA_VIDEO_SOURCE_H_

#include <mutex>
#include <vector>

#include "media/base/adapted_video_track_source.h"
#include "media/media_stream_track.h"

namespace lwn {

class RTCVideoSource : public Napi::ObjectWrap<RTCVideoSource>, public MediaResource {
 public:
  static Napi::Function Init(Napi::Env env);
  explicit RTCVideoSource(const Napi::CallbackInfo& info);
  ~RTCVideoSource() override;

  // MediaResource (JS thread).
  void Release() override;

  class TrackSource;
  // What the per-track sources share: the settings and the list of live ones. Any thread.
  struct Hub {
    bool is_screencast = false;
    absl::optional<bool> needs_denoising;
    // Not owned: each track's wrapper holds the runtime while the track lives, so a source
    // with no live track does not keep libwebrtc's threads running.
    AddonData* data = nullptr;
    bool released = false;  // JS thread
    std::mutex mutex;
    std::vector<rtc::scoped_refptr<TrackSource>> live;  // guarded by mutex
    std::atomic<int> width{0}, height{0};
    std::atomic<double> frame_rate{0};
    std::atomic<int64_t> last_frame_us{0};
  };

 private:
  Napi::Value CreateTrack(const Napi::CallbackInfo& info);
  Napi::Value OnFrame(const Napi::CallbackInfo& info);

  AddonData* data_ = nullptr;
  std::shared_ptr<Hub> hub_;
};

}  // namespace lwn

#endif  // LWN_MEDIA_VIDEO_SOURCE_H_
