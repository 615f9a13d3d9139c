// Cameras through libwebrtc's video capture module (V4L2 on Linux): the devices and their
// modes, and CameraCapture, which opens one device in one mode and feeds its tracks. The
// device is released at once when the last track ends (a second getUserMedia can open it).
#ifndef LWN_DEVICES_CAMERA_H_
#define LWN_DEVICES_CAMERA_H_

#include <vector>

#include "api/video/video_frame.h"
#include "api/video/video_sink_interface.h"
#include "devices/device_capture.h"
#include "media/video_feed.h"
#include "modules/video_capture/video_capture.h"

namespace lwn {

// listCameras() -> [{ deviceId, label, modes: [{ width, height, frameRate }] }]
Napi::Value ListCameras(const Napi::CallbackInfo& info);

class CameraCapture : public Napi::ObjectWrap<CameraCapture>,
                      public MediaResource,
                      public rtc::VideoSinkInterface<webrtc::VideoFrame> {
 public:
  static Napi::Function Init(Napi::Env env);
  // CameraCapture(deviceId, { width, height, frameRate }, onEnded)
  explicit CameraCapture(const Napi::CallbackInfo& info);
  ~CameraCapture() override;

  void Release() override;  // JS thread
  // The capture module's thread.
  void OnFrame(const webrtc::VideoFrame& frame) override;

 private:
  Napi::Value CreateTrack(const Napi::CallbackInfo& info);
  Napi::Value Reconfigure(const Napi::CallbackInfo& info);
  Napi::Value Stop(const Napi::CallbackInfo& info);
  void StopCapture();  // JS thread: the device is released
  // The device's capability for a { width, height, frameRate } record; false if it has none.
  bool FindMode(const Napi::Object& mode, webrtc::VideoCaptureCapability* out);

  AddonData* data_ = nullptr;
  std::shared_ptr<VideoFeed> feed_;
  rtc::scoped_refptr<webrtc::VideoCaptureModule> module_;
  std::unique_ptr<EndedNotifier> ended_;
  std::string id_;
  bool released_ = false;
};

}  // namespace lwn

#endif  // LWN_DEVICES_CAMERA_H_
