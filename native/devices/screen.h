// Screens and windows through libwebrtc's desktop capturer (X11: XShm, XDamage, XComposite as
// libwebrtc uses them; PipeWire where a session offers it). ScreenCapture captures one screen
// or window on a thread of its own at the asked frame rate, converts each frame to I420
// (scaled when a size is asked) and feeds its tracks; it stops when the last track ends.
#ifndef LWN_DEVICES_SCREEN_H_
#define LWN_DEVICES_SCREEN_H_

#include "devices/device_capture.h"
#include "media/video_feed.h"
#include "modules/desktop_capture/desktop_capturer.h"
#include "rtc_base/event.h"
#include "rtc_base/platform_thread.h"

namespace lwn {

// listDisplaySources() -> { screens: [{ id, title }], windows: [{ id, title }] }; throws
// NotReadableError when no display can be reached.
Napi::Value ListDisplaySources(const Napi::CallbackInfo& info);

class ScreenCapture : public Napi::ObjectWrap<ScreenCapture>,
                      public MediaResource,
                      public webrtc::DesktopCapturer::Callback {
 public:
  static Napi::Function Init(Napi::Env env);
  // ScreenCapture({ surface: 'monitor' | 'window', id: number | null, frameRate, cursor,
  //                 width?, height? }, onEnded)
  explicit ScreenCapture(const Napi::CallbackInfo& info);
  ~ScreenCapture() override;

  void Release() override;  // JS thread
  // webrtc::DesktopCapturer::Callback (the capture thread).
  void OnCaptureResult(webrtc::DesktopCapturer::Result result,
                       std::unique_ptr<webrtc::DesktopFrame> frame) override;

 private:
  Napi::Value CreateTrack(const Napi::CallbackInfo& info);
  Napi::Value Settings(const Napi::CallbackInfo& info);
  Napi::Value Configure(const Napi::CallbackInfo& info);
  Napi::Value Stop(const Napi::CallbackInfo& info);
  void CaptureLoop();  // the capture thread
  void StopCapture();  // JS thread

  AddonData* data_ = nullptr;
  std::shared_ptr<VideoFeed> feed_;
  std::unique_ptr<EndedNotifier> ended_;
  bool window_ = false;
  int64_t source_id_ = -1;
  bool cursor_ = true;
  // What applyConstraints() may change while capturing: read by the capture thread.
  std::atomic<int> frame_rate_{30};
  std::atomic<int> width_{0}, height_{0};  // asked size (0: the source's own)
  std::atomic<int> frame_width_{0}, frame_height_{0};
  std::atomic<bool> stop_{false};
  rtc::Event wake_;
  rtc::Event started_;
  std::string start_error_name_, start_error_;  // set by the capture thread before started_
  rtc::PlatformThread thread_;
  bool released_ = false;
};

}  // namespace lwn

#endif  // LWN_DEVICES_SCREEN_H_
