// RTCAudioSource's native half (nonstandard, node-webrtc's name): PCM from JS into libwebrtc
// audio tracks. Any chunk length is accepted and cut into the 10 ms frames libwebrtc takes, at
// any sample rate whose 10 ms is a whole number of frames (libwebrtc resamples it for the
// encoder). As for video, each track has a source of its own.
#ifndef LWN_MEDIA_AUDIO_SOURCE_H_
#define LWN_MEDIA_AUDIO_SOURCE_H_

#include <mutex>
#include <vector>

#include "media/media_stream_track.h"

namespace lwn {

class RTCAudioSource : public Napi::ObjectWrap<RTCAudioSource>, public MediaResource {
 public:
  static Napi::Function Init(Napi::Env env);
  explicit RTCAudioSource(const Napi::CallbackInfo& info);
  ~RTCAudioSource() override;

  // MediaResource (JS thread).
  void Release() override;

  class TrackSource;
  struct Hub {
    // Not owned: each track's wrapper holds the runtime while the track lives, so a source
    // with no live track does not keep libwebrtc's threads running.
    AddonData* data = nullptr;
    bool released = false;  // JS thread
    std::mutex mutex;
    std::vector<rtc::scoped_refptr<TrackSource>> live;  // guarded by mutex
    std::atomic<int> sample_rate{0}, channels{0};
  };

 private:
  Napi::Value CreateTrack(const Napi::CallbackInfo& info);
  Napi::Value OnData(const Napi::CallbackInfo& info);

  AddonData* data_ = nullptr;
  std::shared_ptr<Hub> hub_;
  // Samples waiting to make a whole 10 ms frame (JS thread).
  std::vector<int16_t> pending_;
  int pending_rate_ = 0;
  int pending_channels_ = 0;
};

}  // namespace lwn

#endif  // LWN_MEDIA_AUDIO_SOURCE_H_
