#include "media/video_source.h"

#include "api/video/i420_buffer.h"
#include "api/video/video_frame.h"
#include "libyuv/convert.h"
#include "rtc_base/time_utils.h"

namespace lwn {

namespace {

webrtc::VideoRotation ToRotation(int degrees) {
  switch (degrees) {
    case 90:
      return webrtc::kVideoRotation_90;
    case 180:
      return webrtc::kVideoRotation_180;
    case 270:
      return webrtc::kVideoRotation_270;
    default:
      return webrtc::kVideoRotation_0;
  }
}

}  // namespace

Napi::Function RTCVideoSource::Init(Napi::Env env) {
  return DefineClass(env, "VideoSource",
                     {
                         InstanceMethod<&RTCVideoSource::CreateTrack>("createTrack"),
                         InstanceMethod<&RTCVideoSource::OnFrame>("onFrame"),
                     });
}

RTCVideoSource::RTCVideoSource(const Napi::CallbackInfo& info)
    : Napi::ObjectWrap<RTCVideoSource>(info) {
  Napi::Env env = info.Env();
  if (!info[0].IsObject()) throw Napi::TypeError::New(env, "VideoSource(init)");
  Napi::Object init = info[0].As<Napi::Object>();
  data_ = AddonData::Get(env);
  absl::optional<bool> needs_denoising;
  Napi::Value denoising = init.Get("needsDenoising");
  if (denoising.IsBoolean()) needs_denoising = denoising.As<Napi::Boolean>().Value();
  feed_ = std::make_shared<VideoFeed>(data_, GetBool(init, "isScreencast"), needs_denoising);
  data_->media.insert(this);
}

RTCVideoSource::~RTCVideoSource() { Release(); }

void RTCVideoSource::Release() {
  if (released_) return;
  released_ = true;
  feed_->End();
  data_->media.erase(this);
}

Napi::Value RTCVideoSource::CreateTrack(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::shared_ptr<OwnTrackSource> own;
  std::shared_ptr<Runtime> runtime = data_->AcquireRuntime();
  auto track = feed_->NewTrack(runtime.get(), info[0].ToString().Utf8Value(), &own);
  if (!track) throw Napi::Error::New(env, "the source is released");
  return MediaStreamTrack::Wrap(env, std::move(runtime), track, own);
}

// onFrame({ width, height, data, format, rotation, timestamp }), checked by lib/ already; the
// checks here only keep a bad record from reading out of bounds.
Napi::Value RTCVideoSource::OnFrame(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsObject()) throw Napi::TypeError::New(env, "onFrame(frame)");
  Napi::Object record = info[0].As<Napi::Object>();
  int width = GetInt(record, "width", 0);
  int height = GetInt(record, "height", 0);
  Napi::Value data_value = record.Get("data");
  std::string format = GetString(record, "format");
  if (width <= 0 || height <= 0 || width > 16384 || height > 16384 || !data_value.IsTypedArray()) {
    throw Napi::TypeError::New(env, "onFrame: bad frame");
  }
  Napi::TypedArray array = data_value.As<Napi::TypedArray>();
  const uint8_t* data =
      static_cast<const uint8_t*>(array.ArrayBuffer().Data()) + array.ByteOffset();
  size_t size = array.ByteLength();
  int chroma_width = (width + 1) / 2;
  int chroma_height = (height + 1) / 2;
  size_t luma = static_cast<size_t>(width) * height;
  size_t needed = format == "rgba" || format == "bgra"
                      ? luma * 4
                      : luma + static_cast<size_t>(chroma_width) * chroma_height * 2;
  if (size < needed) throw Napi::TypeError::New(env, "onFrame: data is too short");

  if (!feed_->HasTracks()) return env.Undefined();  // no track to feed: skip the conversion
  rtc::scoped_refptr<webrtc::I420Buffer> buffer = webrtc::I420Buffer::Create(width, height);
  int result = 0;
  if (format == "rgba") {
    // libyuv names formats by 32-bit word order: bytes R,G,B,A are its "ABGR".
    result = libyuv::ABGRToI420(data, width * 4, buffer->MutableDataY(), buffer->StrideY(),
                                buffer->MutableDataU(), buffer->StrideU(), buffer->MutableDataV(),
                                buffer->StrideV(), width, height);
  } else if (format == "bgra") {
    result = libyuv::ARGBToI420(data, width * 4, buffer->MutableDataY(), buffer->StrideY(),
                                buffer->MutableDataU(), buffer->StrideU(), buffer->MutableDataV(),
                                buffer->StrideV(), width, height);
  } else if (format == "nv12") {
    result = libyuv::NV12ToI420(data, width, data + luma, chroma_width * 2, buffer->MutableDataY(),
                                buffer->StrideY(), buffer->MutableDataU(), buffer->StrideU(),
                                buffer->MutableDataV(), buffer->StrideV(), width, height);
  } else {
    const uint8_t* u = data + luma;
    const uint8_t* v = u + static_cast<size_t>(chroma_width) * chroma_height;
    result = libyuv::I420Copy(data, width, u, chroma_width, v, chroma_width, buffer->MutableDataY(),
                              buffer->StrideY(), buffer->MutableDataU(), buffer->StrideU(),
                              buffer->MutableDataV(), buffer->StrideV(), width, height);
  }
  if (result != 0) throw Napi::Error::New(env, "onFrame: the frame could not be converted");

  Napi::Value timestamp = record.Get("timestamp");
  int64_t now_us = rtc::TimeMicros();
  int64_t timestamp_us = timestamp.IsNumber()
                             ? static_cast<int64_t>(timestamp.As<Napi::Number>().DoubleValue())
                             : now_us;
  webrtc::VideoFrame frame = webrtc::VideoFrame::Builder()
                                 .set_video_frame_buffer(buffer)
                                 .set_rotation(ToRotation(GetInt(record, "rotation", 0)))
                                 .set_timestamp_us(timestamp_us)
                                 .build();
  feed_->Deliver(frame);
  return env.Undefined();
}

}  // namespace lwn
