// PulseAudio, the audio device layer on Linux: the sources (microphones, and sink monitors) and
// sinks, record and playback streams, and device change notifications, over libpulse's threaded
// main loop. libpulse is loaded at run time (dlopen), so the addon loads and runs where
// PulseAudio is absent, and only asking for audio devices reports it.
#ifndef LWN_DEVICES_PULSE_AUDIO_H_
#define LWN_DEVICES_PULSE_AUDIO_H_

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

struct pa_context;
struct pa_stream;
struct pa_threaded_mainloop;

namespace lwn {

struct PulseApi;

class PulseAudio : public std::enable_shared_from_this<PulseAudio> {
 public:
  struct Device {
    std::string name;         // PulseAudio's, stable across restarts: the deviceId
    std::string description;  // the label
    std::string group;        // the card (or, for a monitor, its sink's card)
    int rate = 0;
    int channels = 0;
    bool monitor = false;
  };

  // Connects to the server PulseAudio's own rules find (PULSE_SERVER, the user's runtime
  // directory). Null with `error` set when libpulse is missing or no server answers.
  static std::shared_ptr<PulseAudio> Connect(std::string* error);
  ~PulseAudio();

  // Blocking (a round trip to the server). False with `error` set when the server went away.
  bool List(std::vector<Device>* sources, std::vector<Device>* sinks, std::string* default_source,
            std::string* default_sink, std::string* error);

  // `changed` runs on PulseAudio's thread whenever a source or sink comes or goes.
  void Subscribe(std::function<void()> changed);

  // A record or playback stream of 16-bit interleaved PCM. Destroying it disconnects it: no
  // callback runs after the destructor returns.
  class Stream {
   public:
    ~Stream();
    // Playback: queues `frames` frames (any thread).
    void Write(const int16_t* data, size_t frames);
    int rate() const { return rate_; }
    int channels() const { return channels_; }

   private:
    friend class PulseAudio;
    Stream(std::shared_ptr<PulseAudio> pulse, int rate, int channels);
    static void OnState(pa_stream* stream, void* self);
    static void OnRead(pa_stream* stream, size_t bytes, void* self);
    std::shared_ptr<PulseAudio> pulse_;
    pa_stream* stream_ = nullptr;
    int rate_, channels_;
    std::function<void(const int16_t*, size_t)> on_data_;
    std::function<void()> on_failed_;
    bool ready_ = false;
    bool failed_ = false;
  };

  // Records from source `name` at `rate` Hz with `channels` channels (PulseAudio converts).
  // `on_data` and `on_failed` (the source went away) run on PulseAudio's thread.
  std::unique_ptr<Stream> Record(const std::string& name, int rate, int channels,
                                 std::function<void(const int16_t*, size_t)> on_data,
                                 std::function<void()> on_failed, std::string* error);
  // Plays to sink `name`.
  std::unique_ptr<Stream> Play(const std::string& name, int rate, int channels, std::string* error);

 private:
  PulseAudio() = default;
  static void OnContextState(pa_context* context, void* self);
  // Waits (the main loop's lock held) until `done` holds or the context fails.
  bool WaitLocked(const std::function<bool()>& done);

  const PulseApi* api_ = nullptr;
  pa_threaded_mainloop* loop_ = nullptr;
  pa_context* context_ = nullptr;
  std::mutex subscribe_mutex_;
  std::function<void()> changed_;  // guarded by subscribe_mutex_
};

}  // namespace lwn

#endif  // LWN_DEVICES_PULSE_AUDIO_H_
