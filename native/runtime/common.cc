#include "runtime/common.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <algorithm>
#include <thread>

#include "runtime/fatal_checks.h"
#include "api/call/call_factory_interface.h"
#include "api/rtc_event_log/rtc_event_log_factory.h"
#include "api/task_queue/default_task_queue_factory.h"
#include "api/transport/field_trial_based_config.h"
#include "api/video_codecs/builtin_video_encoder_factory.h"
#include "devices/microphone.h"
#include "media/audio_device.h"
#include "media/codecs.h"
#include "media/engine/webrtc_media_engine.h"
#include "modules/audio_processing/include/audio_processing.h"
#include "peer/port_allocator.h"
#include "pc/srtp_session.h"
#include "rtc_base/ssl_stream_adapter.h"
#include "runtime/task_queue_pool.h"

namespace lwn {

// The SRTP session below: process lifetime, on purpose. A global (external linkage, so the
// compiler keeps the store) that LeakSanitizer scans: reachable, not reported as leaked.
cricket::SrtpSession* g_libsrtp_keeper = nullptr;

namespace {
// libsrtp is process-global, and Debian's build runs its crypto self-tests on every
// srtp_init(): about 30 ms with OpenSSL 3. libwebrtc calls srtp_init() when its first SRTP
// session appears — on the network thread, right when DTLS completes, so every connection in a
// fresh process waited that long before `connected` — and srtp_shutdown() when its last
// session goes, so the next connection paid it again. One SRTP session that lives as long as
// the process keeps libsrtp initialized; making it on the worker thread as the first runtime
// starts moves the self-tests off the connection's critical path (libwebrtc's own lock makes
// an early session wait for them instead of failing).
void KeepLibsrtpInitialized(rtc::Thread* thread) {
  static std::once_flag once;
  std::call_once(once, [thread] {
    thread->PostTask([] {
      auto* session = g_libsrtp_keeper = new cricket::SrtpSession();  // never freed
      static const uint8_t kKey[30] = {1};  // any key: only the initialization matters
      session->SetSend(rtc::kSrtpAes128CmSha1_80, kKey, sizeof(kKey), {});
    });
  });
}
}  // namespace

Runtime::Runtime()
    : network_(rtc::Thread::CreateWithSocketServer()),
      worker_(rtc::Thread::Create()),
      signaling_(rtc::Thread::Create()) {
  network_->SetName("lwn-network", nullptr);
  worker_->SetName("lwn-worker", nullptr);
  signaling_->SetName("lwn-signaling", nullptr);
  network_->Start();
  worker_->Start();
  signaling_->Start();
  KeepLibsrtpInitialized(worker_.get());
  // Our audio device module (media/audio_device.h): this libtgowt's own is a dummy that never
  // pulls playout, so remote audio would never be decoded.
  audio_device_ = rtc::make_ref_counted<AudioDevice>();
  networks_ = std::make_unique<SharedNetworks>(network_.get());
  factory_ = CreateFactory();
}

// What webrtc::CreatePeerConnectionFactory() makes, but for the task queues: libwebrtc's
// per-connection pacer and congestion-controller queues share a pool of threads
// (runtime/task_queue_pool.h) rather than taking two threads per connection.
rtc::scoped_refptr<webrtc::PeerConnectionFactoryInterface> Runtime::CreateFactory() {
  webrtc::PeerConnectionFactoryDependencies dependencies;
  dependencies.network_thread = network_.get();
  dependencies.worker_thread = worker_.get();
  dependencies.signaling_thread = signaling_.get();
  dependencies.socket_factory = network_->socketserver();
  dependencies.trials = std::make_unique<webrtc::FieldTrialBasedConfig>();
  // One pool thread per core, 2 to 8: enough to spread thousands of pacers, few enough to
  // cost nothing on a large machine (per runtime: each worker thread has its own).
  size_t pool_threads = std::clamp(std::thread::hardware_concurrency(), 2u, 8u);
  dependencies.task_queue_factory = CreatePooledTaskQueueFactory(
      pool_threads, webrtc::CreateDefaultTaskQueueFactory(dependencies.trials.get()));
  dependencies.call_factory = webrtc::CreateCallFactory();
  dependencies.event_log_factory =
      std::make_unique<webrtc::RtcEventLogFactory>(dependencies.task_queue_factory.get());

  cricket::MediaEngineDependencies media;
  media.task_queue_factory = dependencies.task_queue_factory.get();
  media.adm = audio_device_;
  media.audio_encoder_factory = CreateAudioEncoderFactory();
  media.audio_decoder_factory = CreateAudioDecoderFactory();
  media.audio_processing = webrtc::AudioProcessingBuilder().Create();
  media.video_encoder_factory = webrtc::CreateBuiltinVideoEncoderFactory();
  media.video_decoder_factory = CreateVideoDecoderFactory();
  media.trials = dependencies.trials.get();
  dependencies.media_engine = cricket::CreateMediaEngine(std::move(media));
  return webrtc::CreateModularPeerConnectionFactory(std::move(dependencies));
}

Runtime::~Runtime() {
  // The factory's proxy destroys it on the signaling thread, which must still run; the audio
  // device goes on the worker thread, where libwebrtc uses it.
  factory_ = nullptr;
  worker_->BlockingCall([this] { audio_device_ = nullptr; });
  // NetworkManager's rule: destroyed on the thread that used it (every connection is gone).
  network_->BlockingCall([this] { networks_ = nullptr; });
  signaling_->Stop();
  worker_->Stop();
  network_->Stop();
#if defined(__GLIBC__)
  // The last connection of this environment is gone: give back the heap pages its connections
  // used (glibc keeps freed memory in its arenas otherwise; a server's RSS would stay at its
  // peak after a busy hour).
  malloc_trim(0);
#endif
}

AddonData::AddonData() : call_site_slot(AcquireCallSiteSlot()) {}

AddonData::~AddonData() { ReleaseCallSiteSlot(call_site_slot); }

std::shared_ptr<Runtime> AddonData::AcquireRuntime() {
  std::shared_ptr<Runtime> runtime = this->runtime.lock();
  if (!runtime) {
    runtime = std::make_shared<Runtime>();
    if (!runtime->factory()) return nullptr;
    this->runtime = runtime;
    if (!audio_output.empty()) {
      // The output chosen before this runtime existed (nonstandard.setAudioOutputDevice).
      std::string error;
      if (std::shared_ptr<PulseAudio> pulse = AcquirePulseAudio(this, &error)) {
        std::unique_ptr<PulseAudio::Stream> stream =
            pulse->Play(audio_output, AudioDevice::kSampleRate, AudioDevice::kChannels, &error);
        if (stream) runtime->audio_device()->SetOutput(std::move(stream));
      }
    }
  }
  return runtime;
}

void AddonData::ReleaseMedia() {
  // Release() unregisters, so iterate over a copy.
  std::vector<MediaResource*> all(media.begin(), media.end());
  for (MediaResource* resource : all) resource->Release();
}

// ---------------------------------------------------------------------------------------------

struct EventQueue::Delivery {
  Delivery(Napi::Env env, const char* name) : context(env, name) {}
  Napi::AsyncContext context;
};

EventQueue::EventQueue(Napi::Env env, Napi::Function handler, const char* resource_name) {
  auto* delivery = new Delivery(env, resource_name);
  tsfn_ = Tsfn::New(env, handler, resource_name, 0, 1, delivery,
                    [](Napi::Env, void*, Delivery* delivery) { delete delivery; });
}

EventQueue::~EventQueue() { Detach(); }

void EventQueue::Detach() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!attached_) return;
    attached_ = false;
  }
  tsfn_.Release();
}

void EventQueue::PostLocked(EventBuilder event) {
  auto* owned = new EventBuilder(std::move(event));
  if (tsfn_.NonBlockingCall(owned) != napi_ok) delete owned;  // the environment is closing
}

void EventQueue::CallJs(Napi::Env env, Napi::Function handler, Delivery* delivery,
                        EventBuilder* event) {
  std::unique_ptr<EventBuilder> owned(event);  // freed even when the environment is going
  if (env == nullptr || handler.IsEmpty() || !CanRunJs(env)) return;
  Napi::HandleScope scope(env);
  napi_value value = BuildForJs(env, *owned);
  if (value == nullptr) return;
  napi_valuetype type = napi_undefined;
  if (napi_typeof(env, value, &type) != napi_ok || type == napi_undefined) return;
  DeliverToJs(env, handler, {value}, delivery->context);
}

bool CanRunJs(napi_env env) {
  // A property read is refused (without side effects: 'undefined' is a plain data property of
  // the global object) exactly when N-API may no longer call into JS.
  napi_value global;
  napi_value result;
  if (napi_get_global(env, &global) != napi_ok) return false;
  return napi_get_named_property(env, global, "undefined", &result) == napi_ok;
}

namespace {
// After a failed call: report the pending exception as uncaught, if the environment still runs.
void ReportPending(napi_env env) {
  bool pending = false;
  if (napi_is_exception_pending(env, &pending) != napi_ok || !pending) return;
  napi_value exception;
  if (napi_get_and_clear_last_exception(env, &exception) != napi_ok) return;
  // Terminated while it ran: V8's termination is no error of the user's.
  if (!CanRunJs(env)) return;
  napi_fatal_exception(env, exception);
}
}  // namespace

void DeliverToJs(napi_env env, napi_value fn, const std::vector<napi_value>& args,
                 napi_async_context context) {
  napi_value global;
  napi_value result;
  if (napi_get_global(env, &global) != napi_ok) return;
  napi_status status =
      context != nullptr
          ? napi_make_callback(env, context, global, fn, args.size(), args.data(), &result)
          : napi_call_function(env, global, fn, args.size(), args.data(), &result);
  if (status != napi_ok) ReportPending(env);
}

napi_value BuildForJs(napi_env env, const std::function<Napi::Value(Napi::Env)>& build) {
  try {
    Napi::Value value = build(Napi::Env(env));
    return value.IsEmpty() ? nullptr : static_cast<napi_value>(value);
  } catch (const Napi::Error& error) {
    if (CanRunJs(env)) napi_fatal_exception(env, error.Value());
    return nullptr;
  }
}

// ---------------------------------------------------------------------------------------------

const char* DomExceptionName(webrtc::RTCErrorType type) {
  // As Chromium maps them (blink's rtc_error_util), so a test written against a browser sees
  // the same names.
  switch (type) {
    case webrtc::RTCErrorType::SYNTAX_ERROR:
      return "SyntaxError";
    case webrtc::RTCErrorType::INVALID_STATE:
      return "InvalidStateError";
    case webrtc::RTCErrorType::INVALID_MODIFICATION:
      return "InvalidModificationError";
    case webrtc::RTCErrorType::INVALID_PARAMETER:
      return "InvalidAccessError";
    case webrtc::RTCErrorType::INVALID_RANGE:
      return "RangeError";
    case webrtc::RTCErrorType::NETWORK_ERROR:
      return "NetworkError";
    case webrtc::RTCErrorType::UNSUPPORTED_OPERATION:
    case webrtc::RTCErrorType::UNSUPPORTED_PARAMETER:
    case webrtc::RTCErrorType::RESOURCE_EXHAUSTED:
    case webrtc::RTCErrorType::INTERNAL_ERROR:
    case webrtc::RTCErrorType::OPERATION_ERROR_WITH_DATA:
    case webrtc::RTCErrorType::NONE:
      break;
  }
  return "OperationError";
}

const char* ErrorDetailName(webrtc::RTCErrorDetailType type) {
  switch (type) {
    case webrtc::RTCErrorDetailType::DATA_CHANNEL_FAILURE:
      return "data-channel-failure";
    case webrtc::RTCErrorDetailType::DTLS_FAILURE:
      return "dtls-failure";
    case webrtc::RTCErrorDetailType::FINGERPRINT_FAILURE:
      return "fingerprint-failure";
    case webrtc::RTCErrorDetailType::SCTP_FAILURE:
      return "sctp-failure";
    case webrtc::RTCErrorDetailType::SDP_SYNTAX_ERROR:
      return "sdp-syntax-error";
    case webrtc::RTCErrorDetailType::HARDWARE_ENCODER_NOT_AVAILABLE:
      return "hardware-encoder-not-available";
    case webrtc::RTCErrorDetailType::HARDWARE_ENCODER_ERROR:
      return "hardware-encoder-error";
    case webrtc::RTCErrorDetailType::NONE:
      break;
  }
  return nullptr;
}

Napi::Object ErrorRecord(Napi::Env env, const std::string& name, const std::string& message) {
  Napi::Object record = Napi::Object::New(env);
  record.Set("name", name);
  record.Set("message", message);
  return record;
}

Napi::Object ErrorRecord(Napi::Env env, const webrtc::RTCError& error) {
  Napi::Object record = ErrorRecord(env, DomExceptionName(error.type()), error.message());
  if (const char* detail = ErrorDetailName(error.error_detail())) {
    record.Set("errorDetail", detail);
  }
  if (error.sctp_cause_code()) record.Set("sctpCauseCode", *error.sctp_cause_code());
  return record;
}

std::string Decimal(int64_t value) {
  char buffer[24];
  snprintf(buffer, sizeof(buffer), "%lld", static_cast<long long>(value));
  return buffer;
}

std::string GetString(const Napi::Object& o, const char* key) {
  Napi::Value v = o.Get(key);
  return v.IsString() ? v.As<Napi::String>().Utf8Value() : std::string();
}

bool GetBool(const Napi::Object& o, const char* key) {
  Napi::Value v = o.Get(key);
  return v.IsBoolean() && v.As<Napi::Boolean>().Value();
}

int GetInt(const Napi::Object& o, const char* key, int fallback) {
  Napi::Value v = o.Get(key);
  return v.IsNumber() ? v.As<Napi::Number>().Int32Value() : fallback;
}

}  // namespace lwn
