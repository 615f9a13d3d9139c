// The runtime's audio device module (libwebrtc's AudioDeviceModule interface).
//
// libwebrtc decodes remote audio only when the device module pulls playout from it, every
// 10 ms; this libtgowt's own module is a dummy build that never pulls. This one runs a playout
// clock on a thread of its own while libwebrtc has playout started (that is, while any remote
// audio is being received), pulls 10 ms of mixed 48 kHz stereo each tick and plays it to the
// output device chosen (nonstandard.setAudioOutputDevice), by default none: RTCAudioSink and the
// inbound-rtp stats see every remote track's audio, and a server plays nothing. Microphones'
// echo cancellers hear what is pulled. Local audio comes from tracks (RTCAudioSource,
// microphones: devices/microphone.h), which do not go through the device module, so recording
// reports itself available and delivers nothing.
#ifndef LWN_MEDIA_AUDIO_DEVICE_H_
#define LWN_MEDIA_AUDIO_DEVICE_H_

#include <atomic>
#include <mutex>

#include "devices/pulse_audio.h"
#include "modules/audio_device/include/audio_device.h"
#include "modules/audio_processing/include/audio_processing.h"
#include "rtc_base/event.h"
#include "rtc_base/platform_thread.h"

namespace lwn {

class AudioDevice : public webrtc::AudioDeviceModule {
 public:
  static constexpr int kSampleRate = 48000;
  static constexpr int kChannels = 2;
  static constexpr int kFramesPer10Ms = kSampleRate / 100;

  AudioDevice();
  ~AudioDevice() override;

  // How many 10 ms playout pulls have run (diagnostics and tests).
  uint64_t playout_pulls() const { return pulls_.load(); }

  // Any thread. Where pulled audio is played: a PulseAudio stream, or nowhere (null, the
  // default: a server plays nothing).
  void SetOutput(std::shared_ptr<PulseAudio::Stream> output);
  // Any thread. Audio processors (microphones' echo cancellers) that hear what is played out.
  void AddRenderObserver(rtc::scoped_refptr<webrtc::AudioProcessing> processing);
  void RemoveRenderObserver(rtc::scoped_refptr<webrtc::AudioProcessing> processing);

  // webrtc::AudioDeviceModule. libwebrtc calls these on its worker thread.
  int32_t ActiveAudioLayer(AudioLayer* layer) const override;
  int32_t RegisterAudioCallback(webrtc::AudioTransport* transport) override;
  int32_t Init() override;
  int32_t Terminate() override;
  bool Initialized() const override { return initialized_; }
  int16_t PlayoutDevices() override { return 0; }
  int16_t RecordingDevices() override { return 0; }
  int32_t PlayoutDeviceName(uint16_t, char name[webrtc::kAdmMaxDeviceNameSize],
                            char guid[webrtc::kAdmMaxGuidSize]) override;
  int32_t RecordingDeviceName(uint16_t, char name[webrtc::kAdmMaxDeviceNameSize],
                              char guid[webrtc::kAdmMaxGuidSize]) override;
  int32_t SetPlayoutDevice(uint16_t) override { return 0; }
  int32_t SetPlayoutDevice(WindowsDeviceType) override { return 0; }
  int32_t SetRecordingDevice(uint16_t) override { return 0; }
  int32_t SetRecordingDevice(WindowsDeviceType) override { return 0; }
  int32_t PlayoutIsAvailable(bool* available) override;
  int32_t InitPlayout() override;
  bool PlayoutIsInitialized() const override { return playout_initialized_; }
  int32_t RecordingIsAvailable(bool* available) override;
  int32_t InitRecording() override;
  bool RecordingIsInitialized() const override { return recording_initialized_; }
  int32_t StartPlayout() override;
  int32_t StopPlayout() override;
  bool Playing() const override { return playing_; }
  int32_t StartRecording() override;
  int32_t StopRecording() override;
  bool Recording() const override { return recording_; }
  int32_t InitSpeaker() override { return 0; }
  bool SpeakerIsInitialized() const override { return true; }
  int32_t InitMicrophone() override { return 0; }
  bool MicrophoneIsInitialized() const override { return true; }
  int32_t SpeakerVolumeIsAvailable(bool* available) override;
  int32_t SetSpeakerVolume(uint32_t) override { return -1; }
  int32_t SpeakerVolume(uint32_t*) const override { return -1; }
  int32_t MaxSpeakerVolume(uint32_t*) const override { return -1; }
  int32_t MinSpeakerVolume(uint32_t*) const override { return -1; }
  int32_t MicrophoneVolumeIsAvailable(bool* available) override;
  int32_t SetMicrophoneVolume(uint32_t) override { return -1; }
  int32_t MicrophoneVolume(uint32_t*) const override { return -1; }
  int32_t MaxMicrophoneVolume(uint32_t*) const override { return -1; }
  int32_t MinMicrophoneVolume(uint32_t*) const override { return -1; }
  int32_t SpeakerMuteIsAvailable(bool* available) override;
  int32_t SetSpeakerMute(bool) override { return -1; }
  int32_t SpeakerMute(bool*) const override { return -1; }
  int32_t MicrophoneMuteIsAvailable(bool* available) override;
  int32_t SetMicrophoneMute(bool) override { return -1; }
  int32_t MicrophoneMute(bool*) const override { return -1; }
  int32_t StereoPlayoutIsAvailable(bool* available) const override;
  int32_t SetStereoPlayout(bool enable) override { return enable ? 0 : -1; }
  int32_t StereoPlayout(bool* enabled) const override;
  int32_t StereoRecordingIsAvailable(bool* available) const override;
  int32_t SetStereoRecording(bool) override { return 0; }
  int32_t StereoRecording(bool* enabled) const override;
  int32_t PlayoutDelay(uint16_t* delay_ms) const override;
  bool BuiltInAECIsAvailable() const override { return false; }
  bool BuiltInAGCIsAvailable() const override { return false; }
  bool BuiltInNSIsAvailable() const override { return false; }
  int32_t EnableBuiltInAEC(bool) override { return -1; }
  int32_t EnableBuiltInAGC(bool) override { return -1; }
  int32_t EnableBuiltInNS(bool) override { return -1; }

 private:
  void PlayoutLoop();  // the playout thread

  std::mutex mutex_;  // guards transport_, output_, render_observers_
  webrtc::AudioTransport* transport_ = nullptr;
  std::shared_ptr<PulseAudio::Stream> output_;
  std::vector<rtc::scoped_refptr<webrtc::AudioProcessing>> render_observers_;
  bool initialized_ = false;            // worker thread
  bool playout_initialized_ = false;    // worker thread
  bool recording_initialized_ = false;  // worker thread
  bool recording_ = false;              // worker thread
  bool playing_ = false;                // worker thread
  std::atomic<bool> stop_playout_{false};
  rtc::Event wake_;  // set to end the playout thread's wait early
  rtc::PlatformThread playout_thread_;
  std::atomic<uint64_t> pulls_{0};
};

}  // namespace lwn

#endif  // LWN_MEDIA_AUDIO_DEVICE_H_
