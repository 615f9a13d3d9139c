// Tells JS when the set of capture devices may have changed (devicechange): cameras coming and
// going under /dev (inotify), PulseAudio sources and sinks (its subscription). A thread of its
// own watches /dev; JS re-enumerates and decides whether anything really changed. Its
// thread-safe function is unref'd: watching never keeps the process alive.
#ifndef LWN_DEVICES_DEVICE_WATCHER_H_
#define LWN_DEVICES_DEVICE_WATCHER_H_

#include <atomic>

#include "devices/pulse_audio.h"
#include "rtc_base/platform_thread.h"
#include "runtime/common.h"

namespace lwn {

class DeviceWatcher : public Napi::ObjectWrap<DeviceWatcher>, public MediaResource {
 public:
  static Napi::Function Init(Napi::Env env);
  // DeviceWatcher(onChange)
  explicit DeviceWatcher(const Napi::CallbackInfo& info);
  ~DeviceWatcher() override;
  void Release() override;  // JS thread

 private:
  Napi::Value Stop(const Napi::CallbackInfo& info);
  void Watch();    // the watching thread
  void Changed();  // any thread

  AddonData* data_ = nullptr;
  Napi::ThreadSafeFunction tsfn_;
  std::shared_ptr<PulseAudio> pulse_;
  int inotify_ = -1;
  int wake_[2] = {-1, -1};  // a pipe that ends the thread's poll()
  rtc::PlatformThread thread_;
  std::atomic<bool> released_{false};
};

}  // namespace lwn

#endif  // LWN_DEVICES_DEVICE_WATCHER_H_
