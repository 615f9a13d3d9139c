// RTCAudioSink's native half (nonstandard, node-webrtc's name): an audio track's PCM, 16-bit,
// in the 10 ms frames libwebrtc delivers, to JS through a bounded queue (media/sink_queue.h).
// Remote audio arrives as the runtime's audio device pulls playout (media/audio_device.h).
#ifndef LWN_MEDIA_AUDIO_SINK_H_
#define LWN_MEDIA_AUDIO_SINK_H_

#include <vector>

#include "media/media_stream_track.h"
#include "media/sink_queue.h"

namespace lwn {

class RTCAudioSink : public Napi::ObjectWrap<RTCAudioSink>,
                     public MediaResource,
                     public TrackAttachment,
                     public webrtc::AudioTrackSinkInterface {
 public:
  // 10 ms frames a slow JS consumer may leave queued (one second) before the oldest is dropped.
  static constexpr size_t kCapacity = 100;

  static Napi::Function Init(Napi::Env env);
  explicit RTCAudioSink(const Napi::CallbackInfo& info);
  ~RTCAudioSink() override;

  void Release() override;
  void DetachFromTrack() override;

  // webrtc::AudioTrackSinkInterface: the audio thread (playout pull, or the local source's).
  void OnData(const void* audio_data, int bits_per_sample, int sample_rate,
              size_t number_of_channels, size_t number_of_frames) override;

  struct Chunk {
    std::vector<int16_t> samples;
    int sample_rate;
    int channels;
    size_t frames;
  };

 private:
  Napi::Value Stop(const Napi::CallbackInfo& info);
  Napi::Value Dropped(const Napi::CallbackInfo& info);

  AddonData* data_ = nullptr;
  std::shared_ptr<Runtime> runtime_;
  MediaStreamTrack* track_ = nullptr;
  Napi::ObjectReference track_ref_;
  std::shared_ptr<SinkQueue<Chunk>> queue_;
};

}  // namespace lwn

#endif  // LWN_MEDIA_AUDIO_SINK_H_
