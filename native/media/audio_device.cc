#include "media/audio_device.h"

#include <string.h>

#include <chrono>
#include <thread>

namespace lwn {

AudioDevice::AudioDevice() = default;

AudioDevice::~AudioDevice() { StopPlayout(); }

int32_t AudioDevice::ActiveAudioLayer(AudioLayer* layer) const {
  *layer = kDummyAudio;
  return 0;
}

int32_t AudioDevice::RegisterAudioCallback(webrtc::AudioTransport* transport) {
  std::lock_guard<std::mutex> lock(mutex_);
  transport_ = transport;
  return 0;
}

int32_t AudioDevice::Init() {
  initialized_ = true;
  return 0;
}

int32_t AudioDevice::Terminate() {
  StopPlayout();
  StopRecording();
  initialized_ = false;
  return 0;
}

int32_t AudioDevice::PlayoutDeviceName(uint16_t, char name[webrtc::kAdmMaxDeviceNameSize],
                                       char guid[webrtc::kAdmMaxGuidSize]) {
  name[0] = guid[0] = '\0';
  return -1;
}

int32_t AudioDevice::RecordingDeviceName(uint16_t, char name[webrtc::kAdmMaxDeviceNameSize],
                                         char guid[webrtc::kAdmMaxGuidSize]) {
  name[0] = guid[0] = '\0';
  return -1;
}

int32_t AudioDevice::PlayoutIsAvailable(bool* available) {
  *available = true;
  return 0;
}

int32_t AudioDevice::InitPlayout() {
  playout_initialized_ = true;
  return 0;
}

int32_t AudioDevice::RecordingIsAvailable(bool* available) {
  *available = true;
  return 0;
}

int32_t AudioDevice::InitRecording() {
  recording_initialized_ = true;
  return 0;
}

int32_t AudioDevice::StartPlayout() {
  if (playing_) return 0;
  playing_ = true;
  stop_playout_ = false;
  wake_.Reset();
  playout_thread_ = rtc::PlatformThread::SpawnJoinable(
      [this] { PlayoutLoop(); }, "lwn-audio-out",
      rtc::ThreadAttributes().SetPriority(rtc::ThreadPriority::kHigh));
  return 0;
}

int32_t AudioDevice::StopPlayout() {
  if (!playing_) return 0;
  stop_playout_ = true;
  wake_.Set();
  playout_thread_.Finalize();  // joins
  playing_ = false;
  return 0;
}

int32_t AudioDevice::StartRecording() {
  recording_ = true;
  return 0;
}

int32_t AudioDevice::StopRecording() {
  recording_ = false;
  return 0;
}

int32_t AudioDevice::SpeakerVolumeIsAvailable(bool* available) {
  *available = false;
  return 0;
}

int32_t AudioDevice::MicrophoneVolumeIsAvailable(bool* available) {
  *available = false;
  return 0;
}

int32_t AudioDevice::SpeakerMuteIsAvailable(bool* available) {
  *available = false;
  return 0;
}

int32_t AudioDevice::MicrophoneMuteIsAvailable(bool* available) {
  *available = false;
  return 0;
}

int32_t AudioDevice::StereoPlayoutIsAvailable(bool* available) const {
  *available = true;
  return 0;
}

int32_t AudioDevice::StereoPlayout(bool* enabled) const {
  *enabled = true;
  return 0;
}

int32_t AudioDevice::StereoRecordingIsAvailable(bool* available) const {
  *available = true;
  return 0;
}

int32_t AudioDevice::StereoRecording(bool* enabled) const {
  *enabled = true;
  return 0;
}

int32_t AudioDevice::PlayoutDelay(uint16_t* delay_ms) const {
  *delay_ms = 0;
  return 0;
}

void AudioDevice::SetOutput(std::shared_ptr<PulseAudio::Stream> output) {
  std::lock_guard<std::mutex> lock(mutex_);
  output_ = std::move(output);
}

void AudioDevice::AddRenderObserver(rtc::scoped_refptr<webrtc::AudioProcessing> processing) {
  std::lock_guard<std::mutex> lock(mutex_);
  render_observers_.push_back(std::move(processing));
}

void AudioDevice::RemoveRenderObserver(rtc::scoped_refptr<webrtc::AudioProcessing> processing) {
  std::lock_guard<std::mutex> lock(mutex_);
  render_observers_.erase(
      std::remove(render_observers_.begin(), render_observers_.end(), processing),
      render_observers_.end());
}

void AudioDevice::PlayoutLoop() {
  int16_t buffer[kFramesPer10Ms * kChannels];
  using Clock = std::chrono::steady_clock;
  Clock::time_point next = Clock::now();
  while (!stop_playout_) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (transport_) {
        size_t frames_out = 0;
        int64_t elapsed_ms = -1;
        int64_t ntp_ms = -1;
        transport_->NeedMorePlayData(kFramesPer10Ms, sizeof(int16_t) * kChannels, kChannels,
                                     kSampleRate, buffer, frames_out, &elapsed_ms, &ntp_ms);
        if (!render_observers_.empty()) {
          webrtc::StreamConfig config(kSampleRate, kChannels);
          int16_t scratch[kFramesPer10Ms * kChannels];
          for (auto& processing : render_observers_) {
            processing->ProcessReverseStream(buffer, config, config, scratch);
          }
        }
        if (output_) output_->Write(buffer, kFramesPer10Ms);
      }
    }
    pulls_.fetch_add(1, std::memory_order_relaxed);
    // Absolute deadlines: a late tick is followed by a shorter wait, so the clock keeps 100
    // pulls a second on average; after a long stall it starts afresh rather than bursting.
    next += std::chrono::milliseconds(10);
    Clock::time_point now = Clock::now();
    if (next < now - std::chrono::milliseconds(100)) next = now;
    if (next > now) {
      auto wait = std::chrono::duration_cast<std::chrono::microseconds>(next - now);
      wake_.Wait(webrtc::TimeDelta::Micros(wait.count()));
    }
  }
}

}  // namespace lwn
