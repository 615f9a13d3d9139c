// The live track sources of one feed (media/video_feed.h, media/audio_feed.h). Every track made
// from a feed has a source of its own, so that stopping a track ends that one alone; the feed
// delivers to a snapshot of the live ones, ends one when its track stops, ends them all when the
// feed ends, and tells its owner whenever the last one is gone (a device then stops capturing).
// `Source` is the feed's libwebrtc source class; it has End(signaling_thread), which ends it and
// with it its track (libwebrtc's tracks observe their source on the signaling thread).
#ifndef LWN_MEDIA_FEED_TRACKS_H_
#define LWN_MEDIA_FEED_TRACKS_H_

#include <algorithm>
#include <functional>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "api/scoped_refptr.h"
#include "runtime/common.h"

namespace lwn {

template <typename Source>
class FeedTracks {
 public:
  using Sources = std::vector<rtc::scoped_refptr<Source>>;

  // Not owned: the feed's environment. Each track's wrapper holds the runtime while the track
  // lives, so a feed with no live track does not keep libwebrtc's threads running.
  explicit FeedTracks(AddonData* data) : data_(data) {}

  // JS thread.
  bool ended() const { return ended_; }
  // JS thread: `idle` runs (on the JS thread) whenever the last live track ends.
  void SetOnIdle(std::function<void()> idle) { on_idle_ = std::move(idle); }
  // JS thread: a new track's source.
  void Add(rtc::scoped_refptr<Source> source) {
    std::lock_guard<std::mutex> lock(mutex_);
    live_.push_back(std::move(source));
  }

  // Any thread: the sources to deliver to (a copy, so that delivering holds no lock).
  Sources Live() {
    std::lock_guard<std::mutex> lock(mutex_);
    return live_;
  }
  // Any thread.
  bool HasTracks() {
    std::lock_guard<std::mutex> lock(mutex_);
    return !live_.empty();
  }

  // JS thread: the track of `source` stopped.
  void Remove(Source* source) {
    bool idle;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto it = std::find_if(live_.begin(), live_.end(),
                             [source](const auto& s) { return s.get() == source; });
      if (it == live_.end()) return;
      live_.erase(it);
      idle = live_.empty();
    }
    // The track being released still holds the runtime, so it is there.
    if (std::shared_ptr<Runtime> runtime = data_->runtime.lock()) {
      source->End(runtime->signaling_thread());
    }
    if (idle && on_idle_) on_idle_();
  }

  // JS thread: every track ends; no new ones can be made.
  void End() {
    if (ended_) return;
    ended_ = true;
    Sources live;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      live.swap(live_);
    }
    // Live sources mean live tracks, whose wrappers hold the runtime.
    if (std::shared_ptr<Runtime> runtime = data_->runtime.lock()) {
      for (auto& source : live) source->End(runtime->signaling_thread());
    }
    if (!live.empty() && on_idle_) on_idle_();
  }

 private:
  AddonData* const data_;
  std::function<void()> on_idle_;  // JS thread
  bool ended_ = false;             // JS thread
  std::mutex mutex_;
  Sources live_;  // guarded by mutex_
};

}  // namespace lwn

#endif  // LWN_MEDIA_FEED_TRACKS_H_
