#include "media/video_sink.h"

#include <string.h>

#include "libyuv/planar_functions.h"

namespace lwn {

Napi::Function RTCVideoSink::Init(Napi::Env env) {
  return DefineClass(env, "VideoSink",
                     {
                         InstanceMethod<&RTCVideoSink::Stop>("stop"),
                         InstanceMethod<&RTCVideoSink::Dropped>("dropped"),
                     });
}

// VideoSink(track, onFrame)
RTCVideoSink::RTCVideoSink(const Napi::CallbackInfo& info) : Napi::ObjectWrap<RTCVideoSink>(info) {
  Napi::Env env = info.Env();
  MediaStreamTrack* track = MediaStreamTrack::FromValue(info[0]);
  if (!track || !track->video() || !info[1].IsFunction()) {
    throw Napi::TypeError::New(env, "VideoSink(videoTrack, onFrame)");
  }
  data_ = AddonData::Get(env);
  queue_ = SinkQueue<Frame>::Make(
      env, info[1].As<Napi::Function>(), "RTCVideoSink", kCapacity,
      [](Napi::Env env, Frame& frame) -> Napi::Value {
        Napi::Object o = Napi::Object::New(env);
        o.Set("width", frame.width);
        o.Set("height", frame.height);
        o.Set("rotation", frame.rotation);
        o.Set("timestamp", static_cast<double>(frame.timestamp_us));
        size_t size = frame.size;
        uint8_t* bytes = frame.data.release();  // the ArrayBuffer owns it from here
        Napi::ArrayBuffer buffer = Napi::ArrayBuffer::New(
            env, bytes, size, [](Napi::Env, void* p) { delete[] static_cast<uint8_t*>(p); });
        o.Set("data", Napi::Uint8Array::New(env, size, buffer, 0));
        return o;
      });
  data_->media.insert(this);
  if (!track->track()) return;  // an ended (released) track: no frames, ever
  runtime_ = data_->AcquireRuntime();
  track_ = track;
  track_ref_ = Napi::Persistent(track->Value());
  track->Attach(this);
  // Through the proxy: the worker thread. Frames may arrive from now on.
  static_cast<webrtc::VideoTrackInterface*>(track->track())
      ->AddOrUpdateSink(this, rtc::VideoSinkWants());
}

RTCVideoSink::~RTCVideoSink() { Release(); }

void RTCVideoSink::OnFrame(const webrtc::VideoFrame& frame) {
  rtc::scoped_refptr<webrtc::I420BufferInterface> i420 = frame.video_frame_buffer()->ToI420();
  if (!i420) return;
  int width = i420->width();
  int height = i420->height();
  int chroma_width = i420->ChromaWidth();
  int chroma_height = i420->ChromaHeight();
  size_t luma = static_cast<size_t>(width) * height;
  size_t chroma = static_cast<size_t>(chroma_width) * chroma_height;
  Frame out{std::unique_ptr<uint8_t[]>(new uint8_t[luma + 2 * chroma]),
            luma + 2 * chroma,
            width,
            height,
            static_cast<int>(frame.rotation()),
            frame.timestamp_us()};
  uint8_t* y = out.data.get();
  libyuv::CopyPlane(i420->DataY(), i420->StrideY(), y, width, width, height);
  libyuv::CopyPlane(i420->DataU(), i420->StrideU(), y + luma, chroma_width, chroma_width,
                    chroma_height);
  libyuv::CopyPlane(i420->DataV(), i420->StrideV(), y + luma + chroma, chroma_width, chroma_width,
                    chroma_height);
  queue_->Push(std::move(out));
}

void RTCVideoSink::DetachFromTrack() {
  if (!track_) return;
  // Through the proxy, on the worker thread: once it returns, OnFrame runs no more.
  static_cast<webrtc::VideoTrackInterface*>(track_->track())->RemoveSink(this);
  track_ = nullptr;
  track_ref_.Reset();
  runtime_.reset();
  // The track is gone for good: nothing will arrive again, and the callback is let go.
  queue_->Close();
}

void RTCVideoSink::Release() {
  if (track_) {
    MediaStreamTrack* track = track_;
    DetachFromTrack();
    track->Detach(this);
  }
  if (queue_) queue_->Close();
  data_->media.erase(this);
}

Napi::Value RTCVideoSink::Stop(const Napi::CallbackInfo& info) {
  Release();
  return info.Env().Undefined();
}

Napi::Value RTCVideoSink::Dropped(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(queue_->dropped()));
}

}  // namespace lwn
