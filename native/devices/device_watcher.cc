#include "devices/device_watcher.h"

#include <string.h>
#if defined(__linux__)
#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>
#endif

#include "devices/microphone.h"

namespace lwn {

Napi::Function DeviceWatcher::Init(Napi::Env env) {
  return DefineClass(env, "DeviceWatcher", {InstanceMethod<&DeviceWatcher::Stop>("stop")});
}

DeviceWatcher::DeviceWatcher(const Napi::CallbackInfo& info)
    : Napi::ObjectWrap<DeviceWatcher>(info) {
  Napi::Env env = info.Env();
  if (!info[0].IsFunction()) throw Napi::TypeError::New(env, "DeviceWatcher(onChange)");
  data_ = AddonData::Get(env);
  tsfn_ = Napi::ThreadSafeFunction::New(env, info[0].As<Napi::Function>(), "devicechange", 0, 1);
  tsfn_.Unref(env);
#if defined(__linux__)
  // Cameras: V4L2 nodes appear and disappear in /dev. (Elsewhere cameras are not watched.)
  inotify_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (inotify_ >= 0 && pipe(wake_) == 0) {
    inotify_add_watch(inotify_, "/dev", IN_CREATE | IN_DELETE);
    thread_ = rtc::PlatformThread::SpawnJoinable([this] { Watch(); }, "lwn-devices");
  }
#endif
  // Audio: PulseAudio's own notifications, when a server is there (no error otherwise: there
  // is then nothing to watch).
  std::string error;
  pulse_ = AcquirePulseAudio(data_, &error);
  if (pulse_) pulse_->Subscribe([this] { Changed(); });
  data_->media.insert(this);
}

DeviceWatcher::~DeviceWatcher() { Release(); }

void DeviceWatcher::Watch() {
#if defined(__linux__)
  char buffer[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
  while (!released_) {
    pollfd fds[2] = {{inotify_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
    if (poll(fds, 2, -1) <= 0) continue;
    if (fds[1].revents) break;
    ssize_t n = read(inotify_, buffer, sizeof(buffer));
    bool video = false;
    for (char* p = buffer; n > 0 && p < buffer + n;) {
      auto* event = reinterpret_cast<inotify_event*>(p);
      if (event->len > 0 && strncmp(event->name, "video", 5) == 0) video = true;
      p += sizeof(inotify_event) + event->len;
    }
    if (video) Changed();
  }
#endif
}

void DeviceWatcher::Changed() {
  if (released_) return;
  tsfn_.NonBlockingCall([](Napi::Env env, Napi::Function callback) {
    if (env == nullptr || !CanRunJs(env)) return;
    Napi::HandleScope scope(env);
    DeliverToJs(env, callback, {});
  });
}

void DeviceWatcher::Release() {
  if (released_.exchange(true)) return;
  if (pulse_) pulse_->Subscribe(nullptr);
  pulse_.reset();
#if defined(__linux__)
  if (wake_[1] >= 0) {
    char byte = 0;
    (void)!write(wake_[1], &byte, 1);
  }
  thread_.Finalize();
  for (int fd : {inotify_, wake_[0], wake_[1]}) {
    if (fd >= 0) close(fd);
  }
#endif
  tsfn_.Release();
  data_->media.erase(this);
}

Napi::Value DeviceWatcher::Stop(const Napi::CallbackInfo& info) {
  Release();
  return info.Env().Undefined();
}

}  // namespace lwn
