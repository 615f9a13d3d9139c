#include "media/media_stream_track.h"

#include "api/video/video_frame.h"
#include "api/video/video_sink_interface.h"

namespace lwn {

// A sink on a remote video track that only remembers the size and rate of what arrives, for
// getSettings(). Frames reach it on the decoder's thread.
class MediaStreamTrack::SizeWatcher : public rtc::VideoSinkInterface<webrtc::VideoFrame> {
 public:
  void OnFrame(const webrtc::VideoFrame& frame) override {
    width_ = frame.width();
    height_ = frame.height();
    int64_t now_us = frame.timestamp_us();
    // A moving average over about a second of frames.
    int64_t last = last_us_.exchange(now_us);
    if (last > 0 && now_us > last) {
      double fps = 1e6 / static_cast<double>(now_us - last);
      double old = frame_rate_.load();
      frame_rate_ = old == 0 ? fps : old * 0.95 + fps * 0.05;
    }
  }
  void Settings(Napi::Object out) const {
    if (width_ == 0) return;
    out.Set("width", width_.load());
    out.Set("height", height_.load());
    if (frame_rate_ > 0) out.Set("frameRate", frame_rate_.load());
  }

 private:
  std::atomic<int> width_{0};
  std::atomic<int> height_{0};
  std::atomic<int64_t> last_us_{0};
  std::atomic<double> frame_rate_{0};
};

namespace {
struct WrapInit {
  std::shared_ptr<Runtime> runtime;
  rtc::scoped_refptr<webrtc::MediaStreamTrackInterface> track;
  std::shared_ptr<OwnTrackSource> own_source;
};
}  // namespace

Napi::Function MediaStreamTrack::Init(Napi::Env env) {
  return DefineClass(env, "MediaStreamTrack",
                     {
                         InstanceMethod<&MediaStreamTrack::Kind>("kind"),
                         InstanceMethod<&MediaStreamTrack::Id>("id"),
                         InstanceMethod<&MediaStreamTrack::Enabled>("enabled"),
                         InstanceMethod<&MediaStreamTrack::SetEnabled>("setEnabled"),
                         InstanceMethod<&MediaStreamTrack::Settings>("settings"),
                         InstanceMethod<&MediaStreamTrack::SetMaxFrameRate>("setMaxFrameRate"),
                         InstanceMethod<&MediaStreamTrack::Clone>("clone"),
                         InstanceMethod<&MediaStreamTrack::Stop>("stop"),
                     });
}

Napi::Object MediaStreamTrack::Wrap(Napi::Env env, std::shared_ptr<Runtime> runtime,
                                    rtc::scoped_refptr<webrtc::MediaStreamTrackInterface> track,
                                    std::shared_ptr<OwnTrackSource> own_source) {
  auto* init = new WrapInit{std::move(runtime), std::move(track), std::move(own_source)};
  return AddonData::Get(env)->track_ctor.New({Napi::External<WrapInit>::New(env, init)});
}

MediaStreamTrack* MediaStreamTrack::FromValue(Napi::Value value) {
  if (!value.IsObject()) return nullptr;
  Napi::Object object = value.As<Napi::Object>();
  AddonData* data = AddonData::Get(value.Env());
  if (!object.InstanceOf(data->track_ctor.Value())) return nullptr;
  return Unwrap(object);
}

MediaStreamTrack::MediaStreamTrack(const Napi::CallbackInfo& info)
    : Napi::ObjectWrap<MediaStreamTrack>(info) {
  if (!info[0].IsExternal()) {
    throw Napi::TypeError::New(info.Env(), "MediaStreamTrack is made by a source or a receiver");
  }
  std::unique_ptr<WrapInit> init(info[0].As<Napi::External<WrapInit>>().Data());
  data_ = AddonData::Get(info.Env());
  runtime_ = std::move(init->runtime);
  track_ = std::move(init->track);
  own_source_ = std::move(init->own_source);
  id_ = track_->id();  // through the proxy: the signaling thread
  video_ = track_->kind() == webrtc::MediaStreamTrackInterface::kVideoKind;
  enabled_ = track_->enabled();
  if (video_ && !own_source_) {
    size_watcher_ = std::make_unique<SizeWatcher>();
    // The proxy runs it on the worker thread.
    static_cast<webrtc::VideoTrackInterface*>(track_.get())
        ->AddOrUpdateSink(size_watcher_.get(), rtc::VideoSinkWants());
  }
  data_->media.insert(this);
}

MediaStreamTrack::~MediaStreamTrack() { Release(); }

void MediaStreamTrack::Attach(TrackAttachment* attachment) { attachments_.push_back(attachment); }

void MediaStreamTrack::Detach(TrackAttachment* attachment) {
  attachments_.erase(std::remove(attachments_.begin(), attachments_.end(), attachment),
                     attachments_.end());
}

void MediaStreamTrack::Release() {
  if (!track_) return;
  // Whatever is attached lets go first, while the track and libwebrtc's threads are there.
  std::vector<TrackAttachment*> attachments;
  attachments.swap(attachments_);
  for (TrackAttachment* attachment : attachments) attachment->DetachFromTrack();
  if (size_watcher_) {
    static_cast<webrtc::VideoTrackInterface*>(track_.get())->RemoveSink(size_watcher_.get());
  }
  enabled_ = track_->enabled();
  if (own_source_) own_source_->End();
  own_source_ = nullptr;
  track_ = nullptr;  // the proxy destroys the track on the signaling thread
  runtime_.reset();
  data_->media.erase(this);
}

Napi::Value MediaStreamTrack::Kind(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), video_ ? "video" : "audio");
}

Napi::Value MediaStreamTrack::Id(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), id_);
}

Napi::Value MediaStreamTrack::Enabled(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), track_ ? track_->enabled() : enabled_);
}

Napi::Value MediaStreamTrack::SetEnabled(const Napi::CallbackInfo& info) {
  bool enabled = info[0].ToBoolean().Value();
  // libwebrtc sends black frames (video) or silence (audio) for a disabled track.
  if (track_) track_->set_enabled(enabled);
  enabled_ = enabled;
  return info.Env().Undefined();
}

Napi::Value MediaStreamTrack::Settings(const Napi::CallbackInfo& info) {
  Napi::Object out = Napi::Object::New(info.Env());
  if (own_source_) own_source_->Settings(out);
  if (size_watcher_) size_watcher_->Settings(out);
  return out;
}

// setMaxFrameRate(fps): 0 for every frame. Tracks of other sources (remote ones) ignore it.
Napi::Value MediaStreamTrack::SetMaxFrameRate(const Napi::CallbackInfo& info) {
  if (own_source_ && info[0].IsNumber()) {
    double fps = info[0].As<Napi::Number>().DoubleValue();
    own_source_->SetMaxFrameRate(fps >= 1 && fps < 1000 ? static_cast<int>(fps + 0.5) : 0);
  }
  return info.Env().Undefined();
}

Napi::Value MediaStreamTrack::Clone(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string id = info[0].ToString().Utf8Value();
  if (!track_) throw Napi::Error::New(env, "the track is released");
  std::shared_ptr<OwnTrackSource> source;
  rtc::scoped_refptr<webrtc::MediaStreamTrackInterface> clone;
  if (own_source_) {
    clone = own_source_->NewTrack(runtime_.get(), id, &source);
  } else if (video_) {
    // A remote track: the clone shares libwebrtc's source of the received media.
    auto* video = static_cast<webrtc::VideoTrackInterface*>(track_.get());
    clone = runtime_->factory()->CreateVideoTrack(id, video->GetSource());
  } else {
    auto* audio = static_cast<webrtc::AudioTrackInterface*>(track_.get());
    clone = runtime_->factory()->CreateAudioTrack(id, audio->GetSource());
  }
  if (!clone) throw Napi::Error::New(env, "libwebrtc could not make the track");
  clone->set_enabled(track_->enabled());
  return Wrap(env, runtime_, clone, source);
}

Napi::Value MediaStreamTrack::Stop(const Napi::CallbackInfo& info) {
  Release();
  return info.Env().Undefined();
}

}  // namespace lwn
