// Shared pieces of the native layer: per-environment data, the libwebrtc runtime, the
// cross-thread event queue, and the RTCErrorType -> DOMException name table.
#ifndef LWN_COMMON_H_
#define LWN_COMMON_H_

#include <napi.h>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "api/peer_connection_interface.h"
#include "api/rtc_error.h"
#include "rtc_base/thread.h"

namespace lwn {

class RTCPeerConnection;
class AudioDevice;
class PulseAudio;
class SharedNetworks;

// The libwebrtc side of one Node environment: its three threads and the factory. Made on first
// use, shared by the live wrappers that need it (shared_ptr), destroyed when the last goes —
// always on the JS thread, since only JS-thread objects hold it.
class Runtime {
 public:
  Runtime();
  ~Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  webrtc::PeerConnectionFactoryInterface* factory() const { return factory_.get(); }
  rtc::Thread* signaling_thread() const { return signaling_.get(); }
  rtc::Thread* network_thread() const { return network_.get(); }
  rtc::Thread* worker_thread() const { return worker_.get(); }
  AudioDevice* audio_device() const { return audio_device_.get(); }
  // The network list every connection's port allocator reads (peer/port_allocator.h).
  SharedNetworks* networks() const { return networks_.get(); }

 private:
  rtc::scoped_refptr<webrtc::PeerConnectionFactoryInterface> CreateFactory();

  std::unique_ptr<rtc::Thread> network_;
  std::unique_ptr<rtc::Thread> worker_;
  std::unique_ptr<rtc::Thread> signaling_;
  rtc::scoped_refptr<AudioDevice> audio_device_;
  std::unique_ptr<SharedNetworks> networks_;  // network thread
  rtc::scoped_refptr<webrtc::PeerConnectionFactoryInterface> factory_;
};

// A native object that holds libwebrtc references outside any one connection: tracks, sources,
// sinks. Registered with its environment, which releases it (JS thread, while libwebrtc's
// threads still run) at teardown or at process exit; otherwise it releases itself when stopped
// or garbage-collected.
class MediaResource {
 public:
  virtual ~MediaResource() = default;
  // JS thread. Idempotent: drops the libwebrtc references and the runtime.
  virtual void Release() = 0;
};

// Per-environment state (napi instance data): no statics hold JS or libwebrtc state, so each
// worker thread has its own.
struct AddonData {
  AddonData();
  ~AddonData();
  AddonData(const AddonData&) = delete;
  AddonData& operator=(const AddonData&) = delete;

  std::weak_ptr<Runtime> runtime;
  std::set<RTCPeerConnection*> peer_connections;  // open ones, for the cleanup hook
  std::set<MediaResource*> media;                 // unreleased ones, likewise
  std::weak_ptr<PulseAudio> pulse_audio;          // devices/microphone.h, made on first use
  std::string audio_output;                       // where received audio plays ("": nowhere)
  Napi::FunctionReference data_channel_ctor;
  Napi::FunctionReference transceiver_ctor;
  Napi::FunctionReference certificate_ctor;
  Napi::FunctionReference track_ctor;
  Napi::FunctionReference sender_ctor;
  Napi::FunctionReference receiver_ctor;
  bool shutting_down = false;
  int next_transceiver_handle = 0;
  const int call_site_slot;  // native/runtime/fatal_checks.h

  std::shared_ptr<Runtime> AcquireRuntime();
  // Releases every media resource (environment teardown, process exit).
  void ReleaseMedia();
  static AddonData* Get(Napi::Env env) { return env.GetInstanceData<AddonData>(); }
};

// Builds the JS value of one event, on the JS thread. Made on a libwebrtc thread from data it
// copied there; it must not touch libwebrtc objects that could be gone by the time it runs.
using EventBuilder = std::function<Napi::Value(Napi::Env)>;

// The queue from libwebrtc's threads to one connection's JS event handler, in order.
//
// Any thread may Post(); the JS thread delivers each event with MakeCallback, so microtasks
// (promise reactions) run between events as they do between tasks in a browser. Posting never
// blocks: a libwebrtc thread must never wait for the JS thread, which may itself be blocked in
// a proxy call waiting for that libwebrtc thread. While attached, the queue keeps the event
// loop (and the process) alive, like an open socket.
class EventQueue {
 public:
  EventQueue(Napi::Env env, Napi::Function handler, const char* resource_name);
  ~EventQueue();

  // Any thread. `make` runs under the queue's lock and only while attached, so what it reads
  // (e.g. the PeerConnection, which Detach() callers release only afterwards) is still alive.
  // It must not wait for another libwebrtc thread (e.g. a proxy call that hops to the network
  // thread): that thread may be blocked here, posting an event of its own.
  template <typename Make>
  void Post(Make&& make) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!attached_) return;
    PostLocked(make());
  }

  // Any thread: runs `f` under the queue's lock if still attached (so what it reads is alive,
  // as for Post()) and says whether it ran. Like Post()'s `make`, `f` must not wait for a
  // libwebrtc thread (no proxy call that hops threads): that thread may be waiting for this
  // lock to post an event.
  template <typename F>
  bool IfAttached(F&& f) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!attached_) return false;
    f();
    return true;
  }

  // JS thread. Stops delivery of anything posted later and lets the event loop go; events
  // already queued are still delivered (lib/ drops those that arrive after close()).
  void Detach();

 private:
  struct Delivery;  // lives until the thread-safe function is finalized (JS thread)
  static void CallJs(Napi::Env env, Napi::Function handler, Delivery* delivery,
                     EventBuilder* event);
  using Tsfn = Napi::TypedThreadSafeFunction<Delivery, EventBuilder, CallJs>;

  void PostLocked(EventBuilder event);

  std::mutex mutex_;
  bool attached_ = true;
  Tsfn tsfn_;
};

// Delivering to JS from a thread-safe function's callback, where no node-addon-api wrapper may
// throw: a worker being terminated stops JS at any point, and node-addon-api's Error::New then
// aborts the process (it cannot wrap V8's termination value). So these use N-API directly.
//
// Whether `env` can still run JS (false once a worker's terminate() has begun).
bool CanRunJs(napi_env env);
// Calls `fn` with `args` (with `context`, as MakeCallback, when given); an exception the call
// throws is reported like any uncaught one, unless the environment is going away.
void DeliverToJs(napi_env env, napi_value fn, const std::vector<napi_value>& args,
                 napi_async_context context = nullptr);
// Runs `build` (which may use node-addon-api) and returns its value, or null when it threw
// because the environment is going away (a real error is reported as uncaught).
napi_value BuildForJs(napi_env env, const std::function<Napi::Value(Napi::Env)>& build);

// The one table from libwebrtc's RTCErrorType to the DOMException name lib/ throws.
const char* DomExceptionName(webrtc::RTCErrorType type);
const char* ErrorDetailName(webrtc::RTCErrorDetailType type);
// `{ name, message[, errorDetail] }` for lib/errors.ts fromRecord().
Napi::Object ErrorRecord(Napi::Env env, const webrtc::RTCError& error);
Napi::Object ErrorRecord(Napi::Env env, const std::string& name, const std::string& message);

// A number in decimal. Never std::to_string in this project: it instantiates a libstdc++ inline
// whose static digit table the PIE archive also reads PC-relatively, and a shared object may
// not then export it (the link fails; ARCHITECTURE.md, "Linking libtg_owt.a into a .node").
std::string Decimal(int64_t value);

// Small conversions for plain records coming from lib/ (already validated there; these only
// defend against shapes that would crash us).
std::string GetString(const Napi::Object& o, const char* key);
bool GetBool(const Napi::Object& o, const char* key);
int GetInt(const Napi::Object& o, const char* key, int fallback);

}  // namespace lwn

#endif  // LWN_COMMON_H_
