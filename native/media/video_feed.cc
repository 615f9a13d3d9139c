#include "media/video_feed.h"

#include "media/base/adapted_video_track_source.h"
#include "rtc_base/time_utils.h"

namespace lwn {

// One track's source. libwebrtc adapts (scales, drops) what it gets to what its sinks want
// (the encoder under CPU or bandwidth pressure, or scaleResolutionDownBy), through
// AdaptedVideoTrackSource.
class VideoFeed::TrackSource : public rtc::AdaptedVideoTrackSource {
 public:
  TrackSource(bool is_screencast, absl::optional<bool> needs_denoising)
      : is_screencast_(is_screencast), needs_denoising_(needs_denoising) {}

  // Any thread.
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

  // JS thread: 0 lifts the limit. The adapter drops frames by their timestamps.
  void SetMaxFrameRate(int fps) {
    video_adapter()->OnOutputFormatRequest(absl::nullopt, absl::nullopt,
                                           fps > 0 ? absl::optional<int>(fps) : absl::nullopt);
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

// What a track made from a feed holds: its own source, and the feed for clones and settings.
class OwnVideoTrackSource : public OwnTrackSource {
 public:
  OwnVideoTrackSource(std::shared_ptr<VideoFeed> feed,
                      rtc::scoped_refptr<VideoFeed::TrackSource> source)
      : feed_(std::move(feed)), source_(std::move(source)) {}

  void End() override { feed_->tracks_.Remove(source_.get()); }
  void SetMaxFrameRate(int fps) override { source_->SetMaxFrameRate(fps); }

  rtc::scoped_refptr<webrtc::MediaStreamTrackInterface> NewTrack(
      Runtime* runtime, const std::string& id, std::shared_ptr<OwnTrackSource>* own) override {
    return feed_->NewTrack(runtime, id, own);
  }

  void Settings(Napi::Object out) override {
    if (feed_->width_ == 0) return;
    out.Set("width", feed_->width_.load());
    out.Set("height", feed_->height_.load());
    if (feed_->frame_rate_ > 0) out.Set("frameRate", feed_->frame_rate_.load());
  }

 private:
  std::shared_ptr<VideoFeed> feed_;
  rtc::scoped_refptr<VideoFeed::TrackSource> source_;
};

VideoFeed::VideoFeed(AddonData* data, bool is_screencast, absl::optional<bool> needs_denoising)
    : is_screencast_(is_screencast), needs_denoising_(needs_denoising), tracks_(data) {}

VideoFeed::~VideoFeed() = default;

rtc::scoped_refptr<webrtc::MediaStreamTrackInterface> VideoFeed::NewTrack(
    Runtime* runtime, const std::string& id, std::shared_ptr<OwnTrackSource>* own) {
  if (tracks_.ended() || !runtime) return nullptr;
  auto source = rtc::make_ref_counted<TrackSource>(is_screencast_, needs_denoising_);
  rtc::scoped_refptr<webrtc::VideoTrackInterface> track =
      runtime->factory()->CreateVideoTrack(id, source.get());
  if (!track) return nullptr;
  tracks_.Add(source);
  *own = std::make_shared<OwnVideoTrackSource>(shared_from_this(), source);
  return track;
}

void VideoFeed::Deliver(const webrtc::VideoFrame& frame) {
  int64_t now_us = rtc::TimeMicros();
  width_ = frame.width();
  height_ = frame.height();
  int64_t last = last_frame_us_.exchange(now_us);
  if (last > 0 && now_us > last) {
    double fps = 1e6 / static_cast<double>(now_us - last);
    double old = frame_rate_;
    frame_rate_ = old == 0 ? fps : old * 0.9 + fps * 0.1;
  }
  for (auto& source : tracks_.Live()) source->Deliver(frame);
}

bool VideoFeed::HasTracks() { return tracks_.HasTracks(); }

void VideoFeed::End() { tracks_.End(); }

}  // namespace lwn
