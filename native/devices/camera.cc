#include "devices/camera.h"

#include "modules/video_capture/video_capture_factory.h"

namespace lwn {

Napi::Value ListCameras(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Array list = Napi::Array::New(env);
  std::unique_ptr<webrtc::VideoCaptureModule::DeviceInfo> devices(
      webrtc::VideoCaptureFactory::CreateDeviceInfo());
  if (!devices) return list;
  uint32_t out = 0;
  for (uint32_t i = 0; i < devices->NumberOfDevices(); ++i) {
    char name[256] = {}, id[256] = {}, product[256] = {};
    if (devices->GetDeviceName(i, name, sizeof(name), id, sizeof(id), product, sizeof(product)) !=
        0) {
      continue;
    }
    Napi::Object device = Napi::Object::New(env);
    device.Set("deviceId", id);
    device.Set("label", name);
    device.Set("groupId", product);
    Napi::Array modes = Napi::Array::New(env);
    int32_t count = devices->NumberOfCapabilities(id);
    for (int32_t c = 0; c < count; ++c) {
      webrtc::VideoCaptureCapability capability;
      if (devices->GetCapability(id, c, capability) != 0) continue;
      Napi::Object mode = Napi::Object::New(env);
      mode.Set("width", capability.width);
      mode.Set("height", capability.height);
      mode.Set("frameRate", capability.maxFPS);
      modes.Set(modes.Length(), mode);
    }
    device.Set("modes", modes);
    list.Set(out++, device);
  }
  return list;
}

Napi::Function CameraCapture::Init(Napi::Env env) {
  return DefineClass(env, "CameraCapture",
                     {
                         InstanceMethod<&CameraCapture::CreateTrack>("createTrack"),
                         InstanceMethod<&CameraCapture::Reconfigure>("reconfigure"),
                         InstanceMethod<&CameraCapture::Stop>("stop"),
                     });
}

CameraCapture::CameraCapture(const Napi::CallbackInfo& info)
    : Napi::ObjectWrap<CameraCapture>(info) {
  Napi::Env env = info.Env();
  if (!info[0].IsString() || !info[1].IsObject() || !info[2].IsFunction()) {
    throw Napi::TypeError::New(env, "CameraCapture(deviceId, mode, onEnded)");
  }
  std::string id = info[0].As<Napi::String>().Utf8Value();
  Napi::Object mode = info[1].As<Napi::Object>();
  data_ = AddonData::Get(env);
  auto fail = [&](const char* name, const std::string& message) {
    Napi::Error error = Napi::Error::New(env, message);
    error.Set("name", name);
    throw error;
  };
  id_ = id;
  webrtc::VideoCaptureCapability wanted;
  if (!FindMode(mode, &wanted)) fail("OverconstrainedError", "The camera has no such mode.");
  module_ = webrtc::VideoCaptureFactory::Create(id.c_str());
  if (!module_) fail("NotReadableError", "The camera " + id + " could not be opened.");
  feed_ = std::make_shared<VideoFeed>(data_, false, absl::nullopt);
  feed_->SetOnIdle([this] { StopCapture(); });
  ended_ = std::make_unique<EndedNotifier>(env, info[2].As<Napi::Function>());
  module_->RegisterCaptureDataCallback(this);
  if (module_->StartCapture(wanted) != 0) {
    module_->DeRegisterCaptureDataCallback();
    module_ = nullptr;
    fail("NotReadableError", "The camera " + id + " is busy or failed to start.");
  }
  data_->media.insert(this);
}

CameraCapture::~CameraCapture() { Release(); }

bool CameraCapture::FindMode(const Napi::Object& mode, webrtc::VideoCaptureCapability* out) {
  std::unique_ptr<webrtc::VideoCaptureModule::DeviceInfo> devices(
      webrtc::VideoCaptureFactory::CreateDeviceInfo());
  int32_t count = devices ? devices->NumberOfCapabilities(id_.c_str()) : -1;
  for (int32_t c = 0; c < count; ++c) {
    webrtc::VideoCaptureCapability capability;
    if (devices->GetCapability(id_.c_str(), c, capability) != 0) continue;
    if (capability.width == GetInt(mode, "width", 0) &&
        capability.height == GetInt(mode, "height", 0) &&
        capability.maxFPS == GetInt(mode, "frameRate", 0)) {
      *out = capability;
      return true;
    }
  }
  return false;
}

// reconfigure({ width, height, frameRate }): the same tracks, the camera in another mode
// (applyConstraints()). Throws OverconstrainedError or NotReadableError.
Napi::Value CameraCapture::Reconfigure(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  webrtc::VideoCaptureCapability wanted;
  if (!module_ || !info[0].IsObject() || !FindMode(info[0].As<Napi::Object>(), &wanted)) {
    Napi::Error error = Napi::Error::New(env, "The camera has no such mode.");
    error.Set("name", "OverconstrainedError");
    throw error;
  }
  module_->StopCapture();
  if (module_->StartCapture(wanted) != 0) {
    Napi::Error error = Napi::Error::New(env, "The camera failed to restart in that mode.");
    error.Set("name", "NotReadableError");
    throw error;
  }
  return env.Undefined();
}

void CameraCapture::OnFrame(const webrtc::VideoFrame& frame) { feed_->Deliver(frame); }

void CameraCapture::StopCapture() {
  if (!module_) return;
  module_->StopCapture();  // joins the capture thread: OnFrame runs no more
  module_->DeRegisterCaptureDataCallback();
  module_ = nullptr;
}

void CameraCapture::Release() {
  if (released_) return;
  released_ = true;
  if (feed_) feed_->End();
  StopCapture();
  if (ended_) ended_->Close();
  data_->media.erase(this);
}

Napi::Value CameraCapture::CreateTrack(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::shared_ptr<OwnTrackSource> own;
  std::shared_ptr<Runtime> runtime = data_->AcquireRuntime();
  auto track =
      module_ ? feed_->NewTrack(runtime.get(), info[0].ToString().Utf8Value(), &own) : nullptr;
  if (!track) throw Napi::Error::New(env, "the capture has stopped");
  return MediaStreamTrack::Wrap(env, std::move(runtime), track, own);
}

Napi::Value CameraCapture::Stop(const Napi::CallbackInfo& info) {
  Release();
  return info.Env().Undefined();
}

}  // namespace lwn
