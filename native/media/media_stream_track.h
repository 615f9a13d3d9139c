// MediaStreamTrack's native half: one libwebrtc track (local, from RTCVideoSource or
// RTCAudioSource; or remote, a receiver's), and what lib/ needs to know of it.
#ifndef LWN_MEDIA_MEDIA_STREAM_TRACK_H_
#define LWN_MEDIA_MEDIA_STREAM_TRACK_H_

#include <atomic>
#include <vector>

#include "api/media_stream_interface.h"
#include "runtime/common.h"

namespace lwn {

// A track's own source when it comes from one of our sources: one per track, so that stopping
// a track ends that track alone (libwebrtc ends a track when its source ends).
class OwnTrackSource {
 public:
  virtual ~OwnTrackSource() = default;
  // JS thread: no more media from this source; its track becomes ended.
  virtual void End() = 0;
  // JS thread: a new track with a new source of our own, fed like this one.
  virtual rtc::scoped_refptr<webrtc::MediaStreamTrackInterface> NewTrack(
      Runtime* runtime, const std::string& id, std::shared_ptr<OwnTrackSource>* source) = 0;
  // Any thread: what the source delivers now (0 when nothing yet).
  virtual void Settings(Napi::Object out) = 0;
  // JS thread: at most `fps` frames a second reach this track's sinks and encoders (0: all);
  // video sources only (a constraint's frameRate, as Chromium's track adapter applies it).
  virtual void SetMaxFrameRate(int fps) {}
};

// Something attached to a track that must let go of it first (RTCVideoSink, RTCAudioSink).
class TrackAttachment {
 public:
  virtual ~TrackAttachment() = default;
  // JS thread: detach from the track (it is being released).
  virtual void DetachFromTrack() = 0;
};

class MediaStreamTrack : public Napi::ObjectWrap<MediaStreamTrack>, public MediaResource {
 public:
  static Napi::Function Init(Napi::Env env);
  // JS thread: a wrapper for `track`. `own_source`: ours, when the track comes from a source of
  // ours; null for a remote track.
  static Napi::Object Wrap(Napi::Env env, std::shared_ptr<Runtime> runtime,
                           rtc::scoped_refptr<webrtc::MediaStreamTrackInterface> track,
                           std::shared_ptr<OwnTrackSource> own_source);
  static MediaStreamTrack* FromValue(Napi::Value value);

  explicit MediaStreamTrack(const Napi::CallbackInfo& info);
  ~MediaStreamTrack() override;

  // JS thread; null once released.
  webrtc::MediaStreamTrackInterface* track() const { return track_.get(); }
  const rtc::scoped_refptr<webrtc::MediaStreamTrackInterface>& track_ref() const { return track_; }
  bool video() const { return video_; }
  void Attach(TrackAttachment* attachment);
  void Detach(TrackAttachment* attachment);

  // MediaResource (JS thread).
  void Release() override;

 private:
  class SizeWatcher;

  Napi::Value Kind(const Napi::CallbackInfo& info);
  Napi::Value Id(const Napi::CallbackInfo& info);
  Napi::Value Enabled(const Napi::CallbackInfo& info);
  Napi::Value SetEnabled(const Napi::CallbackInfo& info);
  Napi::Value Settings(const Napi::CallbackInfo& info);
  Napi::Value SetMaxFrameRate(const Napi::CallbackInfo& info);
  Napi::Value Clone(const Napi::CallbackInfo& info);
  Napi::Value Stop(const Napi::CallbackInfo& info);

  AddonData* data_ = nullptr;
  std::shared_ptr<Runtime> runtime_;
  rtc::scoped_refptr<webrtc::MediaStreamTrackInterface> track_;
  std::shared_ptr<OwnTrackSource> own_source_;
  std::unique_ptr<SizeWatcher> size_watcher_;  // remote video: the size of what arrives
  std::vector<TrackAttachment*> attachments_;
  std::string id_;
  bool video_ = false;
  bool enabled_ = true;  // answered once released
};

}  // namespace lwn

#endif  // LWN_MEDIA_MEDIA_STREAM_TRACK_H_
