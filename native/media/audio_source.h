// RTCAudioSource's native half (nonstandard, node-webrtc's name): PCM from JS into libwebrtc
// audio tracks. Any chunk length is accepted and cut into the 10 ms frames libwebrtc takes, at
// any sample rate whose 10 ms is a whole number of frames (libwebrtc resamples it for the
// encoder). As for video, each track has a source of its own.
#ifndef LWN_MEDIA_AUDIO_SOURCE_H_
#define LWN_MEDIA_AUDIO_SOURCE_H_

#include <mutex>
#include <vector>

#include "media/audio_feed.h"

namespace lwn {

class RTCAudioSource : public Napi::ObjectWrap<RTCAudioSource>, public MediaResource {
 public:
  static Napi::Function Init(Napi::Env env);
  explicit RTCAudioSource(const Napi::CallbackInfo& info);
  ~RTCAudioSource() override;

  // MediaResource (JS thread): the tracks made from it end.
  void Release() override;

 private:
  Napi::Value CreateTrack(const Napi::CallbackInfo& info);
  Napi::Value OnData(const Napi::CallbackInfo& info);

  AddonData* data_ = nullptr;
  std::shared_ptr<AudioFeed> feed_;
  bool released_ = false;
  // Samples waiting to make a whole 10 ms frame (JS thread).
  std::vector<int16_t> pending_;
  int pending_rate_ = 0;
  int pending_channels_ = 0;
};

}  // namespace lwn

#endif  // LWN_MEDIA_AUDIO_SOURCE_H_
