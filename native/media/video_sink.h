// RTCVideoSink's native half (nonstandard, node-webrtc's name): the I420 frames of a video
// track, to JS, through a bounded queue (media/sink_queue.h).
#ifndef LWN_MEDIA_VIDEO_SINK_H_
#define LWN_MEDIA_VIDEO_SINK_H_

#include "api/video/video_frame.h"
#include "api/video/video_sink_interface.h"
#include "media/media_stream_track.h"
#include "media/sink_queue.h"

namespace lwn {

class RTCVideoSink : public Napi::ObjectWrap<RTCVideoSink>,
                     public MediaResource,
                     public TrackAttachment,
                     public rtc::VideoSinkInterface<webrtc::VideoFrame> {
 public:
  // Frames a slow JS consumer may leave queued before the oldest is dropped.
  static constexpr size_t kCapacity = 4;

  static Napi::Function Init(Napi::Env env);
  explicit RTCVideoSink(const Napi::CallbackInfo& info);
  ~RTCVideoSink() override;

  // MediaResource, TrackAttachment (JS thread).
  void Release() override;
  void DetachFromTrack() override;

  // rtc::VideoSinkInterface: the thread that delivers frames (a decoder's, or the JS thread
  // for a local source).
  void OnFrame(const webrtc::VideoFrame& frame) override;

  struct Frame {
    std::unique_ptr<uint8_t[]> data;
    size_t size;
    int width, height, rotation;
    int64_t timestamp_us;
  };

 private:
  Napi::Value Stop(const Napi::CallbackInfo& info);
  Napi::Value Dropped(const Napi::CallbackInfo& info);

  AddonData* data_ = nullptr;
  std::shared_ptr<Runtime> runtime_;
  MediaStreamTrack* track_ = nullptr;  // JS thread; null once detached
  Napi::ObjectReference track_ref_;    // keeps the track's wrapper while attached
  std::shared_ptr<SinkQueue<Frame>> queue_;
};

}  // namespace lwn

#endif  // LWN_MEDIA_VIDEO_SINK_H_
