// RTCVideoSource's native half (nonstandard, node-webrtc's name): raw frames from JS into
// libwebrtc video tracks, through a VideoFeed (media/video_feed.h).
#ifndef LWN_MEDIA_VIDEO_SOURCE_H_
#define LWN_MEDIA_VIDEO_SOURCE_H_

#include "media/video_feed.h"

namespace lwn {

class RTCVideoSource : public Napi::ObjectWrap<RTCVideoSource>, public MediaResource {
 public:
  static Napi::Function Init(Napi::Env env);
  explicit RTCVideoSource(const Napi::CallbackInfo& info);
  ~RTCVideoSource() override;

  // MediaResource (JS thread): the tracks made from it end.
  void Release() override;

 private:
  Napi::Value CreateTrack(const Napi::CallbackInfo& info);
  Napi::Value OnFrame(const Napi::CallbackInfo& info);

  AddonData* data_ = nullptr;
  std::shared_ptr<VideoFeed> feed_;
  bool released_ = false;
};

}  // namespace lwn

#endif  // LWN_MEDIA_VIDEO_SOURCE_H_
