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
    if (env == nullptr || !CanRunJs(env)) return;
    Napi::HandleScope scope(env);
    napi_value value;
    if (napi_create_string_utf8(env, reason.c_str(), reason.size(), &value) != napi_ok) return;
    DeliverToJs(env, callback, {value});
  });
}

void EndedNotifier::Close() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (closed_) return;
  closed_ = true;
  tsfn_.Release();
}

}  // namespace lwn
