#include "devices/pulse_audio.h"

#include <dlfcn.h>
#include <pulse/pulseaudio.h>

#include <chrono>
#include <map>

#include "runtime/common.h"

namespace lwn {

// libpulse's entry points, resolved once per process (the library is process-wide anyway).
struct PulseApi {
// One table, laid out by hand.
// clang-format off
#define LWN_PULSE_FUNCTIONS(X)                                                                  \
  X(pa_threaded_mainloop_new) X(pa_threaded_mainloop_free) X(pa_threaded_mainloop_start)        \
  X(pa_threaded_mainloop_stop) X(pa_threaded_mainloop_lock) X(pa_threaded_mainloop_unlock)      \
  X(pa_threaded_mainloop_wait) X(pa_threaded_mainloop_signal) X(pa_threaded_mainloop_get_api)   \
  X(pa_context_new) X(pa_context_unref) X(pa_context_connect) X(pa_context_disconnect)          \
  X(pa_context_get_state) X(pa_context_set_state_callback) X(pa_context_errno)                  \
  X(pa_context_get_source_info_list) X(pa_context_get_sink_info_list)                           \
  X(pa_context_get_server_info) X(pa_context_set_subscribe_callback) X(pa_context_subscribe)    \
  X(pa_operation_get_state) X(pa_operation_unref) X(pa_strerror) X(pa_stream_new)              \
  X(pa_stream_unref) X(pa_stream_connect_record) X(pa_stream_connect_playback)                  \
  X(pa_stream_disconnect) X(pa_stream_get_state) X(pa_stream_set_state_callback)                \
  X(pa_stream_set_read_callback) X(pa_stream_peek) X(pa_stream_drop) X(pa_stream_write)
// clang-format on
#define LWN_DECLARE(name) decltype(&::name) name = nullptr;
  LWN_PULSE_FUNCTIONS(LWN_DECLARE)
#undef LWN_DECLARE

  // Null with `error` set when the library or a function is missing.
  static const PulseApi* Get(std::string* error) {
    static PulseApi api;
    static std::string load_error;
    static std::once_flag once;
    std::call_once(once, [] {
      void* library = dlopen("libpulse.so.0", RTLD_NOW | RTLD_LOCAL);
      if (!library) {
        load_error =
            "PulseAudio's client library (libpulse.so.0) is not installed: on Debian, "
            "`apt install libpulse0` (and a PulseAudio or PipeWire-Pulse server).";
        return;
      }
#define LWN_RESOLVE(name)                                                \
  api.name = reinterpret_cast<decltype(&::name)>(dlsym(library, #name)); \
  if (!api.name) {                                                       \
    load_error = "libpulse.so.0 lacks " #name ": it is too old.";        \
    return;                                                              \
  }
      LWN_PULSE_FUNCTIONS(LWN_RESOLVE)
#undef LWN_RESOLVE
    });
    if (!load_error.empty()) {
      *error = load_error;
      return nullptr;
    }
    return &api;
  }
#undef LWN_PULSE_FUNCTIONS
};

namespace {
constexpr auto kConnectTimeout = std::chrono::seconds(5);
}  // namespace

std::shared_ptr<PulseAudio> PulseAudio::Connect(std::string* error) {
  const PulseApi* api = PulseApi::Get(error);
  if (!api) return nullptr;
  std::shared_ptr<PulseAudio> pulse(new PulseAudio());
  pulse->api_ = api;
  pulse->loop_ = api->pa_threaded_mainloop_new();
  pulse->context_ =
      api->pa_context_new(api->pa_threaded_mainloop_get_api(pulse->loop_), "libwebrtc-node");
  api->pa_context_set_state_callback(pulse->context_, &PulseAudio::OnContextState, pulse.get());
  if (api->pa_context_connect(pulse->context_, nullptr, PA_CONTEXT_NOAUTOSPAWN, nullptr) < 0 ||
      api->pa_threaded_mainloop_start(pulse->loop_) < 0) {
    *error = std::string("No PulseAudio server answers: ") +
             api->pa_strerror(api->pa_context_errno(pulse->context_));
    return nullptr;
  }
  api->pa_threaded_mainloop_lock(pulse->loop_);
  bool ready = pulse->WaitLocked(
      [&] { return api->pa_context_get_state(pulse->context_) == PA_CONTEXT_READY; });
  if (!ready) {
    *error = std::string("No PulseAudio server answers: ") +
             api->pa_strerror(api->pa_context_errno(pulse->context_));
  }
  api->pa_threaded_mainloop_unlock(pulse->loop_);
  return ready ? pulse : nullptr;
}

PulseAudio::~PulseAudio() {
  if (!loop_) return;
  api_->pa_threaded_mainloop_lock(loop_);
  api_->pa_context_set_subscribe_callback(context_, nullptr, nullptr);
  api_->pa_context_set_state_callback(context_, nullptr, nullptr);
  api_->pa_context_disconnect(context_);
  api_->pa_context_unref(context_);
  api_->pa_threaded_mainloop_unlock(loop_);
  api_->pa_threaded_mainloop_stop(loop_);
  api_->pa_threaded_mainloop_free(loop_);
}

void PulseAudio::OnContextState(pa_context*, void* self) {
  auto* pulse = static_cast<PulseAudio*>(self);
  pulse->api_->pa_threaded_mainloop_signal(pulse->loop_, 0);
}

bool PulseAudio::WaitLocked(const std::function<bool()>& done) {
  auto deadline = std::chrono::steady_clock::now() + kConnectTimeout;
  while (!done()) {
    pa_context_state_t state = api_->pa_context_get_state(context_);
    if (!PA_CONTEXT_IS_GOOD(state)) return false;
    if (std::chrono::steady_clock::now() > deadline) return false;
    api_->pa_threaded_mainloop_wait(loop_);
  }
  return true;
}

namespace {
struct ListState {
  const PulseApi* api;
  pa_threaded_mainloop* loop;
  std::vector<PulseAudio::Device>* sources;
  std::vector<PulseAudio::Device>* sinks;
  std::map<uint32_t, std::string> sink_groups;        // sink index -> group, for monitors
  std::vector<std::pair<size_t, uint32_t>> monitors;  // (source position, sink index)
  std::string default_source, default_sink;
  int pending = 3;
};

// Devices of one card share a group; a device on no card is a group of its own.
std::string Group(uint32_t card, const std::string& name) {
  return card == PA_INVALID_INDEX ? name : "card-" + Decimal(card);
}
}  // namespace

bool PulseAudio::List(std::vector<Device>* sources, std::vector<Device>* sinks,
                      std::string* default_source, std::string* default_sink, std::string* error) {
  ListState state{api_, loop_, sources, sinks, {}, {}, {}, {}, 3};
  api_->pa_threaded_mainloop_lock(loop_);
  pa_operation* ops[3];
  ops[0] = api_->pa_context_get_source_info_list(
      context_,
      [](pa_context*, const pa_source_info* info, int eol, void* data) {
        auto* s = static_cast<ListState*>(data);
        if (eol) {
          --s->pending;
          s->api->pa_threaded_mainloop_signal(s->loop, 0);
          return;
        }
        Device device{info->name,
                      info->description ? info->description : info->name,
                      Group(info->card, info->name),
                      static_cast<int>(info->sample_spec.rate),
                      info->sample_spec.channels,
                      info->monitor_of_sink != PA_INVALID_INDEX};
        if (device.monitor) s->monitors.emplace_back(s->sources->size(), info->monitor_of_sink);
        s->sources->push_back(std::move(device));
      },
      &state);
  ops[1] = api_->pa_context_get_sink_info_list(
      context_,
      [](pa_context*, const pa_sink_info* info, int eol, void* data) {
        auto* s = static_cast<ListState*>(data);
        if (eol) {
          --s->pending;
          s->api->pa_threaded_mainloop_signal(s->loop, 0);
          return;
        }
        s->sink_groups[info->index] = Group(info->card, info->name);
        s->sinks->push_back({info->name, info->description ? info->description : info->name,
                             Group(info->card, info->name),
                             static_cast<int>(info->sample_spec.rate), info->sample_spec.channels,
                             false});
      },
      &state);
  ops[2] = api_->pa_context_get_server_info(
      context_,
      [](pa_context*, const pa_server_info* info, void* data) {
        auto* s = static_cast<ListState*>(data);
        if (info) {
          if (info->default_source_name) s->default_source = info->default_source_name;
          if (info->default_sink_name) s->default_sink = info->default_sink_name;
        }
        --s->pending;
        s->api->pa_threaded_mainloop_signal(s->loop, 0);
      },
      &state);
  bool ok = WaitLocked([&] { return state.pending == 0; });
  for (pa_operation* op : ops) {
    if (op) api_->pa_operation_unref(op);
  }
  if (!ok)
    *error = std::string("PulseAudio: ") + api_->pa_strerror(api_->pa_context_errno(context_));
  api_->pa_threaded_mainloop_unlock(loop_);
  // A monitor belongs with its sink.
  for (auto& [position, sink] : state.monitors) {
    auto group = state.sink_groups.find(sink);
    if (group != state.sink_groups.end()) (*sources)[position].group = group->second;
  }
  *default_source = state.default_source;
  *default_sink = state.default_sink;
  return ok;
}

void PulseAudio::Subscribe(std::function<void()> changed) {
  {
    std::lock_guard<std::mutex> lock(subscribe_mutex_);
    changed_ = std::move(changed);
  }
  api_->pa_threaded_mainloop_lock(loop_);
  api_->pa_context_set_subscribe_callback(
      context_,
      [](pa_context*, pa_subscription_event_type_t type, uint32_t, void* self) {
        auto* pulse = static_cast<PulseAudio*>(self);
        int what = type & PA_SUBSCRIPTION_EVENT_TYPE_MASK;
        if (what == PA_SUBSCRIPTION_EVENT_CHANGE) return;  // volumes and states: not a device
        std::lock_guard<std::mutex> lock(pulse->subscribe_mutex_);
        if (pulse->changed_) pulse->changed_();
      },
      this);
  pa_operation* op = api_->pa_context_subscribe(
      context_,
      static_cast<pa_subscription_mask_t>(PA_SUBSCRIPTION_MASK_SOURCE | PA_SUBSCRIPTION_MASK_SINK),
      nullptr, nullptr);
  if (op) api_->pa_operation_unref(op);
  api_->pa_threaded_mainloop_unlock(loop_);
}

// ---------------------------------------------------------------------------------------------
// Streams

PulseAudio::Stream::Stream(std::shared_ptr<PulseAudio> pulse, int rate, int channels)
    : pulse_(std::move(pulse)), rate_(rate), channels_(channels) {}

PulseAudio::Stream::~Stream() {
  if (!stream_) return;
  const PulseApi* api = pulse_->api_;
  api->pa_threaded_mainloop_lock(pulse_->loop_);
  api->pa_stream_set_state_callback(stream_, nullptr, nullptr);
  api->pa_stream_set_read_callback(stream_, nullptr, nullptr);
  api->pa_stream_disconnect(stream_);
  api->pa_stream_unref(stream_);
  api->pa_threaded_mainloop_unlock(pulse_->loop_);
}

void PulseAudio::Stream::OnState(pa_stream* stream, void* self) {
  auto* s = static_cast<Stream*>(self);
  const PulseApi* api = s->pulse_->api_;
  pa_stream_state_t state = api->pa_stream_get_state(stream);
  if (state == PA_STREAM_READY) s->ready_ = true;
  if (state == PA_STREAM_FAILED || state == PA_STREAM_TERMINATED) {
    bool was_ready = s->ready_;
    s->failed_ = true;
    if (was_ready && s->on_failed_) s->on_failed_();
  }
  api->pa_threaded_mainloop_signal(s->pulse_->loop_, 0);
}

void PulseAudio::Stream::OnRead(pa_stream* stream, size_t, void* self) {
  auto* s = static_cast<Stream*>(self);
  const PulseApi* api = s->pulse_->api_;
  const void* data = nullptr;
  size_t bytes = 0;
  while (api->pa_stream_peek(stream, &data, &bytes) == 0 && bytes > 0) {
    size_t frame_bytes = sizeof(int16_t) * s->channels_;
    if (data && s->on_data_) {
      s->on_data_(static_cast<const int16_t*>(data), bytes / frame_bytes);
    }  // else a hole: nothing recorded there
    api->pa_stream_drop(stream);
  }
}

void PulseAudio::Stream::Write(const int16_t* data, size_t frames) {
  const PulseApi* api = pulse_->api_;
  api->pa_threaded_mainloop_lock(pulse_->loop_);
  if (ready_ && !failed_) {
    api->pa_stream_write(stream_, data, frames * sizeof(int16_t) * channels_, nullptr, 0,
                         PA_SEEK_RELATIVE);
  }
  api->pa_threaded_mainloop_unlock(pulse_->loop_);
}

std::unique_ptr<PulseAudio::Stream> PulseAudio::Record(
    const std::string& name, int rate, int channels,
    std::function<void(const int16_t*, size_t)> on_data, std::function<void()> on_failed,
    std::string* error) {
  std::unique_ptr<Stream> stream(new Stream(shared_from_this(), rate, channels));
  stream->on_data_ = std::move(on_data);
  stream->on_failed_ = std::move(on_failed);
  pa_sample_spec spec{PA_SAMPLE_S16LE, static_cast<uint32_t>(rate), static_cast<uint8_t>(channels)};
  pa_buffer_attr attr;
  attr.maxlength = static_cast<uint32_t>(-1);
  attr.tlength = static_cast<uint32_t>(-1);
  attr.prebuf = static_cast<uint32_t>(-1);
  attr.minreq = static_cast<uint32_t>(-1);
  attr.fragsize = static_cast<uint32_t>(rate / 100 * channels * sizeof(int16_t));  // 10 ms
  api_->pa_threaded_mainloop_lock(loop_);
  stream->stream_ = api_->pa_stream_new(context_, "libwebrtc-node capture", &spec, nullptr);
  bool ok = stream->stream_ != nullptr;
  if (ok) {
    api_->pa_stream_set_state_callback(stream->stream_, &Stream::OnState, stream.get());
    api_->pa_stream_set_read_callback(stream->stream_, &Stream::OnRead, stream.get());
    // DONT_MOVE: when the source goes away the stream fails (its track ends, as an unplugged
    // microphone's does in a browser) instead of moving to another source.
    ok = api_->pa_stream_connect_record(
             stream->stream_, name.c_str(), &attr,
             static_cast<pa_stream_flags_t>(PA_STREAM_ADJUST_LATENCY | PA_STREAM_DONT_MOVE)) == 0 &&
         WaitLocked([&] { return stream->ready_ || stream->failed_; }) && stream->ready_;
  }
  if (!ok)
    *error = std::string("PulseAudio could not record from ") + name + ": " +
             api_->pa_strerror(api_->pa_context_errno(context_));
  api_->pa_threaded_mainloop_unlock(loop_);
  return ok ? std::move(stream) : nullptr;
}

std::unique_ptr<PulseAudio::Stream> PulseAudio::Play(const std::string& name, int rate,
                                                     int channels, std::string* error) {
  std::unique_ptr<Stream> stream(new Stream(shared_from_this(), rate, channels));
  pa_sample_spec spec{PA_SAMPLE_S16LE, static_cast<uint32_t>(rate), static_cast<uint8_t>(channels)};
  pa_buffer_attr attr;
  attr.maxlength = static_cast<uint32_t>(-1);
  attr.tlength = static_cast<uint32_t>(rate / 100 * 4 * channels * sizeof(int16_t));  // 40 ms
  attr.prebuf = static_cast<uint32_t>(-1);
  attr.minreq = static_cast<uint32_t>(-1);
  attr.fragsize = static_cast<uint32_t>(-1);
  api_->pa_threaded_mainloop_lock(loop_);
  stream->stream_ = api_->pa_stream_new(context_, "libwebrtc-node playout", &spec, nullptr);
  bool ok = stream->stream_ != nullptr;
  if (ok) {
    api_->pa_stream_set_state_callback(stream->stream_, &Stream::OnState, stream.get());
    ok = api_->pa_stream_connect_playback(stream->stream_, name.c_str(), &attr,
                                          PA_STREAM_ADJUST_LATENCY, nullptr, nullptr) == 0 &&
         WaitLocked([&] { return stream->ready_ || stream->failed_; }) && stream->ready_;
  }
  if (!ok)
    *error = std::string("PulseAudio could not play to ") + name + ": " +
             api_->pa_strerror(api_->pa_context_errno(context_));
  api_->pa_threaded_mainloop_unlock(loop_);
  return ok ? std::move(stream) : nullptr;
}

}  // namespace lwn
