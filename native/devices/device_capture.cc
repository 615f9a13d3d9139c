#include "devices/device_capture.h"

namespace lwn {

EndedNotifier::EndedNotifier(Napi::Env env, Napi::Function callback) {
  // Left ref'd: a running capture keeps the process alive, like an open connection, until
  // its last track ends (Close()).
  tsfn_ = Napi::ThreadSafeFunction::New(env, callback, "capture ended", 0, 1);
}

EndedNotifier::~EndedNotifier() { Close(); }

void EndedNotifier::Notify(const std::string& reason) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (closed_ || notified_) return;
  notified_ = true;
  tsfn_.NonBlockingCall([reason](Napi::Env env, Napi::Function callback) {
    if (env == nullptr) return;
    try {
      callback.Call({Napi::String::New(env, reason)});
    } catch (const Napi::Error& error) {
      napi_fatal_exception(env, error.Value());
    }
  });
}

void EndedNotifier::Close() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (closed_) return;
  closed_ = true;
  tsfn_.Release();
}

}  // namespace lwn
