// Microphones (and any PulseAudio source) into audio tracks: a record stream from PulseAudio,
// cut into 10 ms frames, through libwebrtc's audio processing (echo cancellation, noise
// suppression, gain control, as the constraints ask) when any is on, into an AudioFeed. The
// echo canceller hears what the runtime's audio device plays out. The stream closes when the
// last track ends; a source that goes away ends its tracks ('ended').
#ifndef LWN_DEVICES_MICROPHONE_H_
#define LWN_DEVICES_MICROPHONE_H_

#include "devices/device_capture.h"
#include "devices/pulse_audio.h"
#include "media/audio_feed.h"
#include "modules/audio_processing/include/audio_processing.h"

namespace lwn {

// The environment's PulseAudio connection, made on first use (JS thread); null with `error`.
std::shared_ptr<PulseAudio> AcquirePulseAudio(AddonData* data, std::string* error);

// listAudioDevices() -> { inputs: [...], outputs: [...], defaultInput, defaultOutput } with
// { deviceId, label, groupId, sampleRate, channelCount, monitor }; throws NotReadableError
// with the reason when PulseAudio cannot be reached.
Napi::Value ListAudioDevices(const Napi::CallbackInfo& info);

// setAudioOutput(deviceId | null): where the runtime's audio device plays received audio
// (nowhere by default). Throws NotFoundError / NotReadableError.
Napi::Value SetAudioOutput(const Napi::CallbackInfo& info);

class MicrophoneCapture : public Napi::ObjectWrap<MicrophoneCapture>, public MediaResource {
 public:
  static Napi::Function Init(Napi::Env env);
  // MicrophoneCapture(deviceId, { sampleRate, channelCount, echoCancellation,
  //                   noiseSuppression, autoGainControl }, onEnded)
  explicit MicrophoneCapture(const Napi::CallbackInfo& info);
  ~MicrophoneCapture() override;

  void Release() override;  // JS thread

 private:
  Napi::Value CreateTrack(const Napi::CallbackInfo& info);
  Napi::Value SetProcessing(const Napi::CallbackInfo& info);
  Napi::Value Stop(const Napi::CallbackInfo& info);
  void OnData(const int16_t* data, size_t frames);         // PulseAudio's thread
  void ApplyProcessing(bool echo, bool noise, bool gain);  // JS thread
  void StopCapture();                                      // JS thread

  AddonData* data_ = nullptr;
  std::shared_ptr<Runtime> runtime_;  // whose audio device feeds the echo canceller
  std::shared_ptr<AudioFeed> feed_;
  std::unique_ptr<EndedNotifier> ended_;
  std::unique_ptr<PulseAudio::Stream> stream_;
  rtc::scoped_refptr<webrtc::AudioProcessing> processing_;  // null when all is off
  std::atomic<bool> process_{false};
  int rate_ = 48000, channels_ = 1;
  std::vector<int16_t> pending_;  // PulseAudio's thread
  std::string device_;
  bool echo_ = false, noise_ = false, gain_ = false;
  bool released_ = false;
};

}  // namespace lwn

#endif  // LWN_DEVICES_MICROPHONE_H_
