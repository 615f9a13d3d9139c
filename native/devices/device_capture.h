// What the capture devices share: a JS-facing capture object (camera, screen, microphone)
// feeding tracks through a feed, released when its last track ends, at teardown or when
// garbage-collected; and the notification of a capture that ended on its own (a device
// unplugged, a window closed), delivered to JS through a thread-safe function which, while the
// capture runs, keeps the process alive (as an open connection does).
#ifndef LWN_DEVICES_DEVICE_CAPTURE_H_
#define LWN_DEVICES_DEVICE_CAPTURE_H_

#include <atomic>
#include <mutex>

#include "runtime/common.h"

namespace lwn {

// Tells JS, once, that a capture ended by itself. Any thread may call Notify().
class EndedNotifier {
 public:
  EndedNotifier(Napi::Env env, Napi::Function callback);
  ~EndedNotifier();
  void Notify(const std::string& reason);
  void Close();  // JS thread

 private:
  std::mutex mutex_;
  bool closed_ = false;
  bool notified_ = false;
  Napi::ThreadSafeFunction tsfn_;
};

}  // namespace lwn

#endif  // LWN_DEVICES_DEVICE_CAPTURE_H_
