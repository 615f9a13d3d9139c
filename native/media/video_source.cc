#include "media/video_source.h"

#include "api/video/i420_buffer.h"
#include "api/video/video_frame.h"
#include "libyuv/convert.h"
#include "rtc_base/time_utils.h"

namespace lwn {

// One track's source. libwebrtc adapts (scales, drops) what it gets to what its sinks want
// (the encoder under CPU or bandwidth pressure), through AdaptedVideoTrackSource.
class RTCVideoSource::TrackSource : public rtc::AdaptedVideoTrackSource {
 public:
  TrackSource(bool is_screencast, absl::optional<bool> needs_denoising)
      : is_screencast_(is_screencast), needs_denoising_(needs_denoising) {}

  // Any thread (the JS thread, from onFrame()).
  void Deliver(const webrtc::VideoFrame& frame) {
    int width = frame.width();
    int height = frame.height();
    int out_width, out_height, crop_width, crop_height, crop_x, crop_y;
    if (!AdaptFrame(width, height, frame.timestamp_us(), &out_width, &out_height, &crop_width,
                    &crop_height, &crop_x, &crop_y)) {
      return;  // no sink wants it now, or the adapter drops it to lower the frame rate
    }
    if (out_width == width && out_height == height) {
      OnFrame(frame);
      return;
    }
    webrtc::VideoFrame scaled(frame);
    scaled.set_video_frame_buffer(frame.video_frame_buffer()->CropAndScale(
        crop_x, crop_y, crop_width, crop_height, out_width, out_height));
    OnFrame(scaled);
  }

  // JS thread: ends the source, which ends its track (VideoTrack observes its source on the
  // signaling thread).
  void End(rtc::Thread* signaling_thread) {
    if (state_.exchange(kEnded) == kEnded) return;
    signaling_thread->PostTask(
        [self = rtc::scoped_refptr<TrackSource>(this)] { self->FireOnChanged(); });
  }

  // webrtc::VideoTrackSourceInterface.
  SourceState state() const override { return state_; }
  bool remote() const override { return false; }
  bool is_screencast() const override { return is_screencast_; }
  absl::optional<bool> needs_denoising() const override { return needs_denoising_; }

 private:
  std::atomic<SourceState> state_{kLive};
  const bool is_screencast_;
  const absl::optional<bool> needs_denoising_;
};

namespace {

// The OwnTrackSource a track made by RTCVideoSource holds.
class OwnVideoSource : public OwnTrackSource {
 public:
  OwnVideoSource(std::shared_ptr<RTCVideoSource::Hub> hub,
                 rtc::scoped_refptr<RTCVideoSource::TrackSource> source)
      : hub_(std::move(hub)), source_(std::move(source)) {}

  static rtc::scoped_refptr<webrtc::MediaStreamTrackInterface> Make(
      const std::shared_ptr<RTCVideoSource::Hub>& hub, Runtime* runtime, const std::string& id,
      std::shared_ptr<OwnTrackSource>* own) {
    if (hub->released || !runtime) return nullptr;
    auto source = rtc::make_ref_counted<RTCVideoSource::TrackSource>(hub->is_screencast,
                                                                     hub->needs_denoising);
    rtc::scoped_refptr<webrtc::VideoTrackInterface> track =
        runtime->factory()->CreateVideoTrack(id, source.get());
    if (!track) return nullptr;
    {
      std::lock_guard<std::mutex> lock(hub->mutex);
      hub->live.push_back(source);
    }
    *own = std::make_shared<OwnVideoSource>(hub, source);
    return track;
  }

  void End() override {
    {
      std::lock_guard<std::mutex> lock(hub_->mutex);
      auto& live = hub_->live;
      live.erase(std::remove(live.begin(), live.end(), source_), live.end());
    }
    // The track's own runtime (the one its wrapper holds) is alive while this runs.
    // The track being released still holds the runtime, so it is there.
    if (std::shared_ptr<Runtime> runtime = hub_->data->runtime.lock()) {
      source_->End(runtime->signaling_thread());
    }
  }

  rtc::scoped_refptr<webrtc::MediaStreamTrackInterface> NewTrack(
      Runtime* runtime, const std::string& id, std::shared_ptr<OwnTrackSource>* own) override {
    return Make(hub_, runtime, id, own);
  }

  void Settings(Napi::Object out) override {
    if (hub_->width == 0) return;
    out.Set("width", hub_->width.load());
    out.Set("height", hub_->height.load());
    if (hub_->frame_rate > 0) out.Set("frameRate", hub_->frame_rate.load());
  }

 private:
  std::shared_ptr<RTCVideoSource::Hub> hub_;
  rtc::scoped_refptr<RTCVideoSource::TrackSource> source_;
};

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
  hub_ = std::make_shared<Hub>();
  hub_->is_screencast = GetBool(init, "isScreencast");
  Napi::Value denoising = init.Get("needsDenoising");
  if (denoising.IsBoolean()) hub_->needs_denoising = denoising.As<Napi::Boolean>().Value();
  hub_->data = data_;
  data_->media.insert(this);
}

RTCVideoSource::~RTCVideoSource() { Release(); }

void RTCVideoSource::Release() {
  if (!hub_ || hub_->released) return;
  hub_->released = true;
  // The tracks made from it keep their own sources and runtime; new ones cannot be made.
  std::vector<rtc::scoped_refptr<TrackSource>> live;
  {
    std::lock_guard<std::mutex> lock(hub_->mutex);
    live.swap(hub_->live);
  }
  // Live sources mean live tracks, whose wrappers hold the runtime.
  if (std::shared_ptr<Runtime> runtime = data_->runtime.lock()) {
    for (auto& source : live) source->End(runtime->signaling_thread());
  }
  data_->media.erase(this);
}

Napi::Value RTCVideoSource::CreateTrack(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::shared_ptr<OwnTrackSource> own;
  std::shared_ptr<Runtime> runtime = data_->AcquireRuntime();
  auto track = OwnVideoSource::Make(hub_, runtime.get(), info[0].ToString().Utf8Value(), &own);
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
  if (width <= 0 || height <= 0 || width > 16384 || height > 16384 ||
      !data_value.IsTypedArray()) {
    throw Napi::TypeError::New(env, "onFrame: bad frame");
  }
  Napi::TypedArray array = data_value.As<Napi::TypedArray>();
  const uint8_t* data = static_cast<const uint8_t*>(array.ArrayBuffer().Data()) +
                        array.ByteOffset();
  size_t size = array.ByteLength();
  int chroma_width = (width + 1) / 2;
  int chroma_height = (height + 1) / 2;
  size_t luma = static_cast<size_t>(width) * height;
  size_t needed = format == "rgba" || format == "bgra"
                      ? luma * 4
                      : luma + static_cast<size_t>(chroma_width) * chroma_height * 2;
  if (size < needed) throw Napi::TypeError::New(env, "onFrame: data is too short");

  {
    std::lock_guard<std::mutex> lock(hub_->mutex);
    if (hub_->live.empty()) return env.Undefined();  // no track to feed: skip the conversion
  }
  rtc::scoped_refptr<webrtc::I420Buffer> buffer = webrtc::I420Buffer::Create(width, height);
  int result = 0;
  if (format == "rgba") {
    // libyuv names formats by 32-bit word order: bytes R,G,B,A are its "ABGR".
    result = libyuv::ABGRToI420(data, width * 4, buffer->MutableDataY(), buffer->StrideY(),
                                buffer->MutableDataU(), buffer->StrideU(),
                                buffer->MutableDataV(), buffer->StrideV(), width, height);
  } else if (format == "bgra") {
    result = libyuv::ARGBToI420(data, width * 4, buffer->MutableDataY(), buffer->StrideY(),
                                buffer->MutableDataU(), buffer->StrideU(),
                                buffer->MutableDataV(), buffer->StrideV(), width, height);
  } else if (format == "nv12") {
    result = libyuv::NV12ToI420(data, width, data + luma, chroma_width * 2,
                                buffer->MutableDataY(), buffer->StrideY(),
                                buffer->MutableDataU(), buffer->StrideU(),
                                buffer->MutableDataV(), buffer->StrideV(), width, height);
  } else {
    const uint8_t* u = data + luma;
    const uint8_t* v = u + static_cast<size_t>(chroma_width) * chroma_height;
    result = libyuv::I420Copy(data, width, u, chroma_width, v, chroma_width,
                              buffer->MutableDataY(), buffer->StrideY(), buffer->MutableDataU(),
                              buffer->StrideU(), buffer->MutableDataV(), buffer->StrideV(),
                              width, height);
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
  hub_->width = width;
  hub_->height = height;
  int64_t last = hub_->last_frame_us.exchange(now_us);
  if (last > 0 && now_us > last) {
    double fps = 1e6 / static_cast<double>(now_us - last);
    double old = hub_->frame_rate;
    hub_->frame_rate = old == 0 ? fps : old * 0.9 + fps * 0.1;
  }
  std::vector<rtc::scoped_refptr<TrackSource>> live;
  {
    std::lock_guard<std::mutex> lock(hub_->mutex);
    live = hub_->live;
  }
  for (auto& source : live) source->Deliver(frame);
  return env.Undefined();
}

}  // namespace lwn
