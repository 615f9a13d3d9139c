// PulseAudio where there is none: macOS and Windows builds (CMakeLists.txt compiles this in
// place of pulse_audio.cc). Microphones and speakers go through PulseAudio in this version, so
// there every audio device request fails with this reason (NotReadableError in JavaScript);
// no PulseAudio object can exist, so its other members are never reached.
#include "devices/pulse_audio.h"

namespace lwn {

std::shared_ptr<PulseAudio> PulseAudio::Connect(std::string* error) {
  *error =
      "Microphones and speakers go through PulseAudio, which this version supports on Linux "
      "only.";
  return nullptr;
}

PulseAudio::~PulseAudio() = default;

bool PulseAudio::List(std::vector<Device>*, std::vector<Device>*, std::string*, std::string*,
                      std::string* error) {
  Connect(error);
  return false;
}

void PulseAudio::Subscribe(std::function<void()>) {}

PulseAudio::Stream::Stream(std::shared_ptr<PulseAudio> pulse, int rate, int channels)
    : pulse_(std::move(pulse)), rate_(rate), channels_(channels) {}
PulseAudio::Stream::~Stream() = default;
void PulseAudio::Stream::Write(const int16_t*, size_t) {}

std::unique_ptr<PulseAudio::Stream> PulseAudio::Record(const std::string&, int, int,
                                                       std::function<void(const int16_t*, size_t)>,
                                                       std::function<void()>, std::string* error) {
  Connect(error);
  return nullptr;
}

std::unique_ptr<PulseAudio::Stream> PulseAudio::Play(const std::string&, int, int,
                                                     std::string* error) {
  Connect(error);
  return nullptr;
}

}  // namespace lwn
