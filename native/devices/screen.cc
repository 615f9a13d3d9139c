#include "devices/screen.h"

#include <chrono>
#include <mutex>

#include "api/video/i420_buffer.h"
#include "libyuv/convert.h"
#include "libyuv/scale.h"
#include "modules/desktop_capture/desktop_and_cursor_composer.h"
#include "modules/desktop_capture/desktop_capture_options.h"
#include "modules/desktop_capture/desktop_frame.h"
#include "rtc_base/time_utils.h"
#include "runtime/lazy_libraries.h"

#if defined(__linux__)
#include <X11/Xlib.h>
#endif

namespace lwn {

namespace {

// Xlib's default error handler ends the process on any protocol error, and libwebrtc's X11
// capturers provoke some in ordinary use (GetProperty of an atom a window manager would have
// made, with none running). Errors are per request and harmless to the capture: they are
// ignored, process-wide (Xlib's handler is), once; libwebrtc's own XErrorTrap still installs
// and restores its handler around the calls where it cares.
#if defined(__linux__)
int IgnoreXError(Display*, XErrorEvent*) { return 0; }
#endif

void GuardAgainstXErrors() {
#if defined(__linux__)
  static std::once_flag once;
  std::call_once(once, [] { XSetErrorHandler(&IgnoreXError); });
#endif
}

// libwebrtc's capturers call X11 (and, under Wayland, GLib for the desktop portal), which the
// .node loads at first use: false, with the reason, when they are not installed.
bool LoadDisplayLibraries(std::string* error) {
  std::string why;
  if (!LoadLazyGroup(LazyGroup::kX11, &why)) {
    *error = "Screen capture needs the X11 client libraries: " + why;
    return false;
  }
  if (webrtc::DesktopCapturer::IsRunningUnderWayland() && !LoadLazyGroup(LazyGroup::kGlib, &why)) {
    *error = "Screen capture under Wayland needs GLib: " + why;
    return false;
  }
  return true;
}

webrtc::DesktopCaptureOptions Options() {
  GuardAgainstXErrors();
  webrtc::DesktopCaptureOptions options = webrtc::DesktopCaptureOptions::CreateDefault();
  options.set_detect_updated_region(false);
  // A Wayland session offers the screen through PipeWire (and its portal) only.
  if (webrtc::DesktopCapturer::IsRunningUnderWayland()) options.set_allow_pipewire(true);
  return options;
}

bool DisplayReachable(const webrtc::DesktopCaptureOptions& options) {
  return options.x_display() || options.allow_pipewire();
}

}  // namespace

Napi::Value ListDisplaySources(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string missing;
  if (!LoadDisplayLibraries(&missing)) {
    Napi::Error error = Napi::Error::New(env, missing);
    error.Set("name", "NotReadableError");
    throw error;
  }
  webrtc::DesktopCaptureOptions options = Options();
  if (!DisplayReachable(options)) {
    Napi::Error error =
        Napi::Error::New(env, "No display: DISPLAY names no X server that answers.");
    error.Set("name", "NotReadableError");
    throw error;
  }
  Napi::Object out = Napi::Object::New(env);
  for (const char* kind : {"screens", "windows"}) {
    bool windows = std::string(kind) == "windows";
    std::unique_ptr<webrtc::DesktopCapturer> capturer =
        windows ? webrtc::DesktopCapturer::CreateWindowCapturer(options)
                : webrtc::DesktopCapturer::CreateScreenCapturer(options);
    Napi::Array list = Napi::Array::New(env);
    webrtc::DesktopCapturer::SourceList sources;
    if (capturer && capturer->GetSourceList(&sources)) {
      for (const auto& source : sources) {
        Napi::Object o = Napi::Object::New(env);
        o.Set("id", static_cast<double>(source.id));
        o.Set("title", source.title);
        list.Set(list.Length(), o);
      }
    }
    out.Set(kind, list);
  }
  return out;
}

Napi::Function ScreenCapture::Init(Napi::Env env) {
  return DefineClass(env, "ScreenCapture",
                     {
                         InstanceMethod<&ScreenCapture::CreateTrack>("createTrack"),
                         InstanceMethod<&ScreenCapture::Settings>("settings"),
                         InstanceMethod<&ScreenCapture::Configure>("configure"),
                         InstanceMethod<&ScreenCapture::Stop>("stop"),
                     });
}

ScreenCapture::ScreenCapture(const Napi::CallbackInfo& info)
    : Napi::ObjectWrap<ScreenCapture>(info) {
  Napi::Env env = info.Env();
  if (!info[0].IsObject() || !info[1].IsFunction()) {
    throw Napi::TypeError::New(env, "ScreenCapture(options, onEnded)");
  }
  Napi::Object options = info[0].As<Napi::Object>();
  data_ = AddonData::Get(env);
  window_ = GetString(options, "surface") == "window";
  Napi::Value id = options.Get("id");
  if (id.IsNumber()) source_id_ = static_cast<int64_t>(id.As<Napi::Number>().DoubleValue());
  cursor_ = GetBool(options, "cursor");
  frame_rate_ = std::max(1, std::min(60, GetInt(options, "frameRate", 30)));
  width_ = GetInt(options, "width", 0);
  height_ = GetInt(options, "height", 0);
  feed_ = std::make_shared<VideoFeed>(data_, true, absl::nullopt);
  feed_->SetOnIdle([this] { StopCapture(); });
  ended_ = std::make_unique<EndedNotifier>(env, info[1].As<Napi::Function>());
  // The capturer lives on its own thread (X11 connections are single-threaded); it reports
  // whether it could start before this returns.
  thread_ = rtc::PlatformThread::SpawnJoinable([this] { CaptureLoop(); }, "lwn-screen");
  started_.Wait(rtc::Event::kForever);
  if (!start_error_name_.empty()) {
    StopCapture();
    Napi::Error error = Napi::Error::New(env, start_error_);
    error.Set("name", start_error_name_);
    throw error;
  }
  data_->media.insert(this);
}

ScreenCapture::~ScreenCapture() { Release(); }

void ScreenCapture::CaptureLoop() {
  if (!LoadDisplayLibraries(&start_error_)) {
    start_error_name_ = "NotReadableError";
    started_.Set();
    return;
  }
  webrtc::DesktopCaptureOptions options = Options();
  if (!DisplayReachable(options)) {
    start_error_name_ = "NotReadableError";
    start_error_ = "No display: DISPLAY names no X server that answers.";
    started_.Set();
    return;
  }
  std::unique_ptr<webrtc::DesktopCapturer> capturer =
      window_ ? webrtc::DesktopCapturer::CreateWindowCapturer(options)
              : webrtc::DesktopCapturer::CreateScreenCapturer(options);
  if (capturer && cursor_) {
    capturer = std::make_unique<webrtc::DesktopAndCursorComposer>(std::move(capturer), options);
  }
  if (!capturer) {
    start_error_name_ = "NotReadableError";
    start_error_ = "libwebrtc has no capturer for this display.";
    started_.Set();
    return;
  }
  webrtc::DesktopCapturer::SourceList sources;
  capturer->GetSourceList(&sources);
  webrtc::DesktopCapturer::SourceId id = source_id_;
  if (id < 0) {
    // No choice made: the primary screen (the first), or no window.
    if (sources.empty() || window_) {
      start_error_name_ = "NotFoundError";
      start_error_ = window_ ? "No window was chosen." : "No screen to capture.";
      started_.Set();
      return;
    }
    id = sources.front().id;
  }
  bool known =
      std::any_of(sources.begin(), sources.end(), [id](const auto& s) { return s.id == id; });
  if (!known || !capturer->SelectSource(id)) {
    start_error_name_ = "NotFoundError";
    start_error_ = std::string("No ") + (window_ ? "window " : "screen ") + Decimal(id) + ".";
    started_.Set();
    return;
  }
  source_id_ = id;
  capturer->Start(this);
  started_.Set();
  using Clock = std::chrono::steady_clock;
  Clock::time_point next = Clock::now();
  while (!stop_) {
    capturer->CaptureFrame();  // OnCaptureResult runs inside, on this thread
    next += std::chrono::microseconds(1000000 / frame_rate_);
    Clock::time_point now = Clock::now();
    if (next < now) next = now;  // a slow capture: no burst to catch up
    auto wait = std::chrono::duration_cast<std::chrono::microseconds>(next - now);
    wake_.Wait(webrtc::TimeDelta::Micros(wait.count()));
  }
}

void ScreenCapture::OnCaptureResult(webrtc::DesktopCapturer::Result result,
                                    std::unique_ptr<webrtc::DesktopFrame> frame) {
  if (result == webrtc::DesktopCapturer::Result::ERROR_PERMANENT) {
    // The window closed, or the screen went away: the tracks end (lib/ fires 'ended').
    stop_ = true;
    ended_->Notify(window_ ? "the window was closed" : "the screen went away");
    return;
  }
  if (result != webrtc::DesktopCapturer::Result::SUCCESS || !frame) return;
  int width = frame->size().width();
  int height = frame->size().height();
  if (width <= 0 || height <= 0) return;
  // libwebrtc's capturers give 32-bit BGRA ("ARGB" in libyuv's naming).
  rtc::scoped_refptr<webrtc::I420Buffer> buffer = webrtc::I420Buffer::Create(width, height);
  libyuv::ARGBToI420(frame->data(), frame->stride(), buffer->MutableDataY(), buffer->StrideY(),
                     buffer->MutableDataU(), buffer->StrideU(), buffer->MutableDataV(),
                     buffer->StrideV(), width, height);
  rtc::scoped_refptr<webrtc::VideoFrameBuffer> out = buffer;
  int asked_width = width_, asked_height = height_;
  if (asked_width > 0 && asked_height > 0 && (asked_width != width || asked_height != height)) {
    out = buffer->Scale(asked_width, asked_height);
  }
  frame_width_ = out->width();
  frame_height_ = out->height();
  feed_->Deliver(webrtc::VideoFrame::Builder()
                     .set_video_frame_buffer(out)
                     .set_timestamp_us(rtc::TimeMicros())
                     .build());
}

void ScreenCapture::StopCapture() {
  stop_ = true;
  wake_.Set();
  thread_.Finalize();  // joins; the capturer goes with its thread
}

void ScreenCapture::Release() {
  if (released_) return;
  released_ = true;
  if (feed_) feed_->End();
  StopCapture();
  if (ended_) ended_->Close();
  data_->media.erase(this);
}

Napi::Value ScreenCapture::CreateTrack(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::shared_ptr<OwnTrackSource> own;
  std::shared_ptr<Runtime> runtime = data_->AcquireRuntime();
  auto track =
      stop_ ? nullptr : feed_->NewTrack(runtime.get(), info[0].ToString().Utf8Value(), &own);
  if (!track) throw Napi::Error::New(env, "the capture has stopped");
  return MediaStreamTrack::Wrap(env, std::move(runtime), track, own);
}

Napi::Value ScreenCapture::Settings(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
  o.Set("displaySurface", window_ ? "window" : "monitor");
  o.Set("cursor", cursor_ ? "always" : "never");
  o.Set("frameRate", frame_rate_.load());
  o.Set("deviceId", std::string(window_ ? "window:" : "screen:") + Decimal(source_id_));
  if (frame_width_ > 0) {
    o.Set("width", frame_width_.load());
    o.Set("height", frame_height_.load());
  }
  return o;
}

// configure({ frameRate, width, height }): applyConstraints() on a capture that runs.
Napi::Value ScreenCapture::Configure(const Napi::CallbackInfo& info) {
  if (info[0].IsObject()) {
    Napi::Object o = info[0].As<Napi::Object>();
    frame_rate_ = std::max(1, std::min(60, GetInt(o, "frameRate", frame_rate_)));
    width_ = GetInt(o, "width", 0);
    height_ = GetInt(o, "height", 0);
  }
  return info.Env().Undefined();
}

Napi::Value ScreenCapture::Stop(const Napi::CallbackInfo& info) {
  Release();
  return info.Env().Undefined();
}

}  // namespace lwn
