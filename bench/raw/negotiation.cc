// Raw libwebrtc baseline for bench/negotiation.js: the same three figures, measured with
// libwebrtc's C++ API directly (Debian's libtgowt, about M108), two PeerConnections in one
// process.
//
//   negotiation [--iterations N] [--connect-iterations N] [--warmup N] [--samples]
//
// Prints one JSON document on stdout, the shape bench/negotiation.js prints, under the key
// "raw-libtgowt" ("raw-libtgowt-srtp-init-once" with --srtp-init-once: see Runtime); with
// --samples each figure also carries its samples ("samples_ms").
//
// - createAnswer: a fresh pair per iteration, the offerer with one data channel + an audio and
//   a video transceiver; offerer CreateOffer/SetLocalDescription, answerer
//   SetRemoteDescription, then CreateAnswer timed from the call to the observer's OnSuccess.
// - exchange: CreateOffer -> offerer SLD -> answerer SRD -> CreateAnswer -> answerer SLD ->
//   offerer SRD, timed on the calling thread (descriptions cross as SDP strings, as they do in
//   a JS binding).
// - connect: from constructing both peers (the offerer with a data channel, candidates
//   trickled directly) to both standardized ICE states connected/completed, and to the data
//   channel open on both sides.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <atomic>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "api/audio_codecs/builtin_audio_decoder_factory.h"
#include "api/audio_codecs/builtin_audio_encoder_factory.h"
#include "api/create_peerconnection_factory.h"
#include "api/data_channel_interface.h"
#include "api/jsep.h"
#include "api/make_ref_counted.h"
#include "api/peer_connection_interface.h"
#include "api/set_local_description_observer_interface.h"
#include "api/set_remote_description_observer_interface.h"
#include "api/task_queue/default_task_queue_factory.h"
#include "api/video_codecs/builtin_video_decoder_factory.h"
#include "api/video_codecs/builtin_video_encoder_factory.h"
#include "modules/audio_device/include/audio_device.h"
#include "pc/srtp_session.h"
#include "rtc_base/checks.h"
#include "rtc_base/logging.h"
#include "rtc_base/ssl_adapter.h"
#include "rtc_base/thread.h"

// Debian's libsrtp2 (a shared library, built against NSS).
#include <srtp2/srtp.h>

#if !RTC_DCHECK_IS_ON
#error "build with DCHECK_ALWAYS_ON: Debian's libtgowt was built with RTC_DCHECK_IS_ON=1"
#endif

namespace {

using Clock = std::chrono::steady_clock;
using webrtc::PeerConnectionInterface;
using webrtc::SessionDescriptionInterface;

double Ms(Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

constexpr auto kTimeout = std::chrono::seconds(10);

template <typename T>
T Await(std::future<T>& f, const char* what) {
  if (f.wait_for(kTimeout) != std::future_status::ready) {
    throw std::runtime_error(std::string("timed out waiting for ") + what);
  }
  return f.get();
}

// --- observers -------------------------------------------------------------------------------

class CreateSdpObserver : public webrtc::CreateSessionDescriptionObserver {
 public:
  void OnSuccess(SessionDescriptionInterface* desc) override {
    done_at = Clock::now();
    promise_.set_value(std::unique_ptr<SessionDescriptionInterface>(desc));
  }
  void OnFailure(webrtc::RTCError error) override {
    done_at = Clock::now();
    promise_.set_exception(std::make_exception_ptr(
        std::runtime_error(std::string("create description: ") + error.message())));
  }
  std::future<std::unique_ptr<SessionDescriptionInterface>> Future() {
    return promise_.get_future();
  }
  Clock::time_point done_at;  // written before the promise is set: read after get()

 private:
  std::promise<std::unique_ptr<SessionDescriptionInterface>> promise_;
};

class SetLocalObserver : public webrtc::SetLocalDescriptionObserverInterface {
 public:
  void OnSetLocalDescriptionComplete(webrtc::RTCError error) override {
    if (error.ok()) {
      promise_.set_value();
    } else {
      promise_.set_exception(std::make_exception_ptr(
          std::runtime_error(std::string("setLocalDescription: ") + error.message())));
    }
  }
  std::future<void> Future() { return promise_.get_future(); }

 private:
  std::promise<void> promise_;
};

class SetRemoteObserver : public webrtc::SetRemoteDescriptionObserverInterface {
 public:
  void OnSetRemoteDescriptionComplete(webrtc::RTCError error) override {
    if (error.ok()) {
      promise_.set_value();
    } else {
      promise_.set_exception(std::make_exception_ptr(
          std::runtime_error(std::string("setRemoteDescription: ") + error.message())));
    }
  }
  std::future<void> Future() { return promise_.get_future(); }

 private:
  std::promise<void> promise_;
};

// Candidates from one peer to the other: held until the receiver has a remote description,
// then added directly (AddIceCandidate with a callback: chained on the receiver's operations
// chain, as addIceCandidate() is in the W3C API).
class Trickle {
 public:
  void SetTarget(rtc::scoped_refptr<PeerConnectionInterface> target) {
    std::lock_guard<std::mutex> lock(mutex_);
    target_ = std::move(target);
  }
  // From the sender's OnIceCandidate (signaling thread).
  void OnCandidate(const webrtc::IceCandidateInterface* c) {
    Pending p{c->sdp_mid(), c->sdp_mline_index(), {}};
    if (!c->ToString(&p.sdp)) return;
    rtc::scoped_refptr<PeerConnectionInterface> target;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (closed_ || !target_) return;
      if (!ready_) {
        pending_.push_back(std::move(p));
        return;
      }
      target = target_;
    }
    Add(target, p);
  }
  // From the main thread, once the receiver's SetRemoteDescription completed.
  void RemoteDescriptionSet() {
    std::vector<Pending> pending;
    rtc::scoped_refptr<PeerConnectionInterface> target;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ready_ = true;
      pending.swap(pending_);
      target = target_;
    }
    for (const auto& p : pending) Add(target, p);
  }
  void Close() {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
    target_ = nullptr;
    pending_.clear();
  }
  int errors() const { return errors_.load(); }

 private:
  struct Pending {
    std::string mid;
    int index;
    std::string sdp;
  };
  void Add(const rtc::scoped_refptr<PeerConnectionInterface>& target, const Pending& p) {
    if (!target) return;
    webrtc::SdpParseError err;
    std::unique_ptr<webrtc::IceCandidateInterface> candidate(
        webrtc::CreateIceCandidate(p.mid, p.index, p.sdp, &err));
    if (!candidate) {
      errors_++;
      return;
    }
    target->AddIceCandidate(std::move(candidate), [this](webrtc::RTCError error) {
      if (!error.ok()) errors_++;
    });
  }

  std::mutex mutex_;
  rtc::scoped_refptr<PeerConnectionInterface> target_;
  std::vector<Pending> pending_;
  bool ready_ = false;
  bool closed_ = false;
  std::atomic<int> errors_{0};
};

// What one connect iteration waits for, set from libwebrtc's threads.
struct ConnectState {
  std::mutex mutex;
  std::condition_variable cv;
  std::optional<Clock::time_point> ice[2];
  std::optional<Clock::time_point> open[2];
  bool failed = false;
  std::string failure;

  void Mark(std::optional<Clock::time_point>& slot) {
    std::lock_guard<std::mutex> lock(mutex);
    if (!slot) slot = Clock::now();
    cv.notify_all();
  }
  void Fail(std::string why) {
    std::lock_guard<std::mutex> lock(mutex);
    if (!failed) failure = std::move(why);
    failed = true;
    cv.notify_all();
  }
};

class ChannelObserver : public webrtc::DataChannelObserver {
 public:
  ChannelObserver(rtc::scoped_refptr<webrtc::DataChannelInterface> channel, ConnectState* state,
                  int side)
      : channel_(std::move(channel)), state_(state), side_(side) {
    channel_->RegisterObserver(this);
    OnStateChange();  // it may already be open
  }
  ~ChannelObserver() override { channel_->UnregisterObserver(); }
  void OnStateChange() override {
    if (channel_->state() == webrtc::DataChannelInterface::kOpen) {
      state_->Mark(state_->open[side_]);
    }
  }
  void OnMessage(const webrtc::DataBuffer&) override {}

 private:
  rtc::scoped_refptr<webrtc::DataChannelInterface> channel_;
  ConnectState* state_;
  int side_;
};

class PeerObserver : public webrtc::PeerConnectionObserver {
 public:
  PeerObserver(Trickle* outgoing, ConnectState* state, int side)
      : outgoing_(outgoing), state_(state), side_(side) {}
  ~PeerObserver() override {
    std::lock_guard<std::mutex> lock(mutex_);
    channels_.clear();
  }

  void OnSignalingChange(PeerConnectionInterface::SignalingState) override {}
  void OnDataChannel(rtc::scoped_refptr<webrtc::DataChannelInterface> channel) override {
    if (!state_) return;
    auto observer = std::make_unique<ChannelObserver>(channel, state_, side_);
    std::lock_guard<std::mutex> lock(mutex_);
    channels_.push_back(std::move(observer));
  }
  void OnIceGatheringChange(PeerConnectionInterface::IceGatheringState) override {}
  void OnIceCandidate(const webrtc::IceCandidateInterface* candidate) override {
    if (outgoing_) outgoing_->OnCandidate(candidate);
  }
  void OnStandardizedIceConnectionChange(
      PeerConnectionInterface::IceConnectionState s) override {
    if (!state_) return;
    if (s == PeerConnectionInterface::kIceConnectionConnected ||
        s == PeerConnectionInterface::kIceConnectionCompleted) {
      state_->Mark(state_->ice[side_]);
    } else if (s == PeerConnectionInterface::kIceConnectionFailed) {
      state_->Fail("ICE failed");
    }
  }
  // The channels this side was given (kept so their observers stay registered).
  void ReleaseChannels() {
    std::lock_guard<std::mutex> lock(mutex_);
    channels_.clear();
  }

 private:
  Trickle* outgoing_;
  ConnectState* state_;
  int side_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<ChannelObserver>> channels_;
};

// --- the runtime -----------------------------------------------------------------------------

class Runtime {
 public:
  // `srtp_init_once`: initialise libsrtp here, once, instead of letting libwebrtc do it.
  // libwebrtc reference-counts libsrtp: srtp_init() when the first SRTP session is set up,
  // srtp_shutdown() when the last one goes. With Debian's NSS-backed libsrtp2, each
  // srtp_init() initialises NSS again (dlopen()s its modules) for tens of ms, on the network
  // thread, in the middle of the DTLS handshake; so any connection made while no other one
  // is up pays it.
  Runtime(rtc::LoggingSeverity log_level, bool srtp_init_once) : srtp_init_once_(srtp_init_once) {
    if (srtp_init_once_) {
      cricket::ProhibitLibsrtpInitialization();
      if (srtp_init() != srtp_err_status_ok) throw std::runtime_error("srtp_init failed");
    }
    // libtgowt is a debug-configured build: it logs a lot (at LS_INFO) unless told not to.
    rtc::LogMessage::LogToDebug(log_level);
    rtc::LogMessage::LogTimestamps(log_level != rtc::LS_NONE);
    rtc::LogMessage::LogThreads(log_level != rtc::LS_NONE);
    rtc::InitializeSSL();
    network_ = rtc::Thread::CreateWithSocketServer();
    network_->SetName("network", nullptr);
    worker_ = rtc::Thread::Create();
    worker_->SetName("worker", nullptr);
    signaling_ = rtc::Thread::Create();
    signaling_->SetName("signaling", nullptr);
    if (!network_->Start() || !worker_->Start() || !signaling_->Start()) {
      throw std::runtime_error("cannot start libwebrtc's threads");
    }
    task_queue_factory_ = webrtc::CreateDefaultTaskQueueFactory();
    adm_ = worker_->BlockingCall([&] {
      return webrtc::AudioDeviceModule::Create(webrtc::AudioDeviceModule::kDummyAudio,
                                               task_queue_factory_.get());
    });
    if (!adm_) throw std::runtime_error("cannot create the dummy audio device module");
    factory_ = webrtc::CreatePeerConnectionFactory(
        network_.get(), worker_.get(), signaling_.get(), adm_,
        webrtc::CreateBuiltinAudioEncoderFactory(), webrtc::CreateBuiltinAudioDecoderFactory(),
        webrtc::CreateBuiltinVideoEncoderFactory(), webrtc::CreateBuiltinVideoDecoderFactory(),
        nullptr /* audio mixer */, nullptr /* audio processing */);
    if (!factory_) throw std::runtime_error("cannot create the PeerConnectionFactory");
  }
  ~Runtime() {
    factory_ = nullptr;
    worker_->BlockingCall([&] { adm_ = nullptr; });
    signaling_->Stop();
    worker_->Stop();
    network_->Stop();
    if (srtp_init_once_) srtp_shutdown();
    rtc::CleanupSSL();
  }

  rtc::scoped_refptr<PeerConnectionInterface> CreatePeer(webrtc::PeerConnectionObserver* observer) {
    PeerConnectionInterface::RTCConfiguration config;
    config.sdp_semantics = webrtc::SdpSemantics::kUnifiedPlan;
    auto result =
        factory_->CreatePeerConnectionOrError(config, webrtc::PeerConnectionDependencies(observer));
    if (!result.ok()) {
      throw std::runtime_error(std::string("CreatePeerConnection: ") + result.error().message());
    }
    return result.MoveValue();
  }

  // Runs an empty task on the signaling thread: everything posted before it has run.
  void Flush() { signaling_->BlockingCall([] {}); }

 private:
  bool srtp_init_once_;
  std::unique_ptr<rtc::Thread> network_, worker_, signaling_;
  std::unique_ptr<webrtc::TaskQueueFactory> task_queue_factory_;
  rtc::scoped_refptr<webrtc::AudioDeviceModule> adm_;
  rtc::scoped_refptr<webrtc::PeerConnectionFactoryInterface> factory_;
};

// --- the steps (each waits for its observer) ------------------------------------------------

std::string CreateOffer(PeerConnectionInterface* pc) {
  auto observer = rtc::make_ref_counted<CreateSdpObserver>();
  auto future = observer->Future();
  pc->CreateOffer(observer.get(), PeerConnectionInterface::RTCOfferAnswerOptions());
  auto desc = Await(future, "createOffer");
  std::string sdp;
  desc->ToString(&sdp);
  return sdp;
}

std::string CreateAnswer(PeerConnectionInterface* pc, double* elapsed_ms) {
  auto observer = rtc::make_ref_counted<CreateSdpObserver>();
  auto future = observer->Future();
  const auto t0 = Clock::now();
  pc->CreateAnswer(observer.get(), PeerConnectionInterface::RTCOfferAnswerOptions());
  auto desc = Await(future, "createAnswer");
  if (elapsed_ms) *elapsed_ms = Ms(observer->done_at - t0);
  std::string sdp;
  desc->ToString(&sdp);
  return sdp;
}

std::unique_ptr<SessionDescriptionInterface> Parse(webrtc::SdpType type, const std::string& sdp) {
  webrtc::SdpParseError err;
  auto desc = webrtc::CreateSessionDescription(type, sdp, &err);
  if (!desc) throw std::runtime_error("SDP parse error: " + err.description + " in " + err.line);
  return desc;
}

void SetLocal(PeerConnectionInterface* pc, webrtc::SdpType type, const std::string& sdp) {
  auto observer = rtc::make_ref_counted<SetLocalObserver>();
  auto future = observer->Future();
  pc->SetLocalDescription(Parse(type, sdp), observer);
  Await(future, "setLocalDescription");
}

void SetRemote(PeerConnectionInterface* pc, webrtc::SdpType type, const std::string& sdp) {
  auto observer = rtc::make_ref_counted<SetRemoteObserver>();
  auto future = observer->Future();
  pc->SetRemoteDescription(Parse(type, sdp), observer);
  Await(future, "setRemoteDescription");
}

// --- the measurements ------------------------------------------------------------------------

struct ExchangeResult {
  double create_answer_ms;
  double exchange_ms;
};

ExchangeResult ExchangeOnce(Runtime& rt) {
  PeerObserver offerer_observer(nullptr, nullptr, 0);
  PeerObserver answerer_observer(nullptr, nullptr, 1);
  auto offerer = rt.CreatePeer(&offerer_observer);
  auto answerer = rt.CreatePeer(&answerer_observer);
  ExchangeResult r{};
  std::exception_ptr error;
  try {
    webrtc::DataChannelInit init;
    auto dc = offerer->CreateDataChannelOrError("bench", &init);
    if (!dc.ok()) throw std::runtime_error(std::string("createDataChannel: ") + dc.error().message());
    if (!offerer->AddTransceiver(cricket::MEDIA_TYPE_AUDIO).ok() ||
        !offerer->AddTransceiver(cricket::MEDIA_TYPE_VIDEO).ok()) {
      throw std::runtime_error("addTransceiver failed");
    }
    const auto t0 = Clock::now();
    const std::string offer = CreateOffer(offerer.get());
    SetLocal(offerer.get(), webrtc::SdpType::kOffer, offer);
    SetRemote(answerer.get(), webrtc::SdpType::kOffer, offer);
    const std::string answer = CreateAnswer(answerer.get(), &r.create_answer_ms);
    SetLocal(answerer.get(), webrtc::SdpType::kAnswer, answer);
    SetRemote(offerer.get(), webrtc::SdpType::kAnswer, answer);
    r.exchange_ms = Ms(Clock::now() - t0);
  } catch (...) {
    error = std::current_exception();
  }
  offerer->Close();
  answerer->Close();
  offerer = nullptr;
  answerer = nullptr;
  rt.Flush();  // nothing may reach the observers after this
  if (error) std::rethrow_exception(error);
  return r;
}

struct ConnectResult {
  double ice_ms;
  double open_ms;
};

ConnectResult ConnectOnce(Runtime& rt) {
  ConnectState state;
  Trickle to_b, to_a;
  PeerObserver obs_a(&to_b, &state, 0);
  PeerObserver obs_b(&to_a, &state, 1);
  std::unique_ptr<ChannelObserver> channel_a;
  rtc::scoped_refptr<PeerConnectionInterface> a, b;

  const auto t0 = Clock::now();
  std::exception_ptr error;
  ConnectResult r{};
  try {
    a = rt.CreatePeer(&obs_a);
    b = rt.CreatePeer(&obs_b);
    to_b.SetTarget(b);
    to_a.SetTarget(a);
    webrtc::DataChannelInit init;
    auto dc = a->CreateDataChannelOrError("bench", &init);
    if (!dc.ok()) throw std::runtime_error(std::string("createDataChannel: ") + dc.error().message());
    channel_a = std::make_unique<ChannelObserver>(dc.MoveValue(), &state, 0);

    const std::string offer = CreateOffer(a.get());
    SetLocal(a.get(), webrtc::SdpType::kOffer, offer);
    SetRemote(b.get(), webrtc::SdpType::kOffer, offer);
    to_b.RemoteDescriptionSet();
    const std::string answer = CreateAnswer(b.get(), nullptr);
    SetLocal(b.get(), webrtc::SdpType::kAnswer, answer);
    SetRemote(a.get(), webrtc::SdpType::kAnswer, answer);
    to_a.RemoteDescriptionSet();

    std::unique_lock<std::mutex> lock(state.mutex);
    const bool done = state.cv.wait_for(lock, kTimeout, [&] {
      return state.failed ||
             (state.ice[0] && state.ice[1] && state.open[0] && state.open[1]);
    });
    if (state.failed) throw std::runtime_error(state.failure);
    if (!done) {
      throw std::runtime_error(std::string("not connected after 10 s (ice ") +
                               (state.ice[0] ? "up" : "down") + "/" +
                               (state.ice[1] ? "up" : "down") + ", open " +
                               (state.open[0] ? "yes" : "no") + "/" +
                               (state.open[1] ? "yes" : "no") + ")");
    }
    r.ice_ms = Ms(std::max(*state.ice[0], *state.ice[1]) - t0);
    r.open_ms = Ms(std::max(*state.open[0], *state.open[1]) - t0);
  } catch (...) {
    error = std::current_exception();
  }
  to_a.Close();
  to_b.Close();
  if (a) a->Close();
  if (b) b->Close();
  channel_a.reset();
  obs_a.ReleaseChannels();
  obs_b.ReleaseChannels();
  a = nullptr;
  b = nullptr;
  rt.Flush();  // pending AddIceCandidate callbacks and observer calls have run
  if (error) std::rethrow_exception(error);
  return r;
}

// --- output ----------------------------------------------------------------------------------

std::string Summary(std::vector<double> s, int failures, bool with_samples) {
  std::string out = "{";
  char buf[128];
  std::vector<double> sorted = s;
  std::sort(sorted.begin(), sorted.end());
  const size_t n = sorted.size();
  auto round3 = [](double x) { return std::round(x * 1000.0) / 1000.0; };
  if (n == 0) {
    out += "\"median_ms\": null, \"p95_ms\": null, \"n\": 0";
  } else {
    const double median = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    const size_t rank = static_cast<size_t>(std::ceil(0.95 * static_cast<double>(n)));
    const double p95 = sorted[std::min(n - 1, rank == 0 ? 0 : rank - 1)];
    std::snprintf(buf, sizeof buf, "\"median_ms\": %.3f, \"p95_ms\": %.3f, \"n\": %zu",
                  round3(median), round3(p95), n);
    out += buf;
  }
  if (failures) {
    std::snprintf(buf, sizeof buf, ", \"failures\": %d", failures);
    out += buf;
  }
  if (with_samples) {
    out += ", \"samples_ms\": [";
    for (size_t i = 0; i < s.size(); i++) {
      std::snprintf(buf, sizeof buf, "%s%.4f", i ? ", " : "", s[i]);
      out += buf;
    }
    out += "]";
  }
  return out + "}";
}

int ParseCount(const char* flag, const char* value) {
  if (!value) {
    std::fprintf(stderr, "%s needs a value\n", flag);
    std::exit(64);
  }
  char* end = nullptr;
  const long v = std::strtol(value, &end, 10);
  if (*value == '\0' || *end != '\0' || v < 0 || v > 1000000) {
    std::fprintf(stderr, "%s wants a non-negative integer, got '%s'\n", flag, value);
    std::exit(64);
  }
  return static_cast<int>(v);
}

}  // namespace

int main(int argc, char** argv) {
  int iterations = 200, connect_iterations = 30, warmup = 5;
  bool with_samples = false;
  bool srtp_init_once = false;
  rtc::LoggingSeverity log_level = rtc::LS_NONE;
  for (int i = 1; i < argc; i++) {
    const char* a = argv[i];
    if (!std::strcmp(a, "--iterations")) {
      iterations = ParseCount(a, i + 1 < argc ? argv[++i] : nullptr);
    } else if (!std::strcmp(a, "--connect-iterations")) {
      connect_iterations = ParseCount(a, i + 1 < argc ? argv[++i] : nullptr);
    } else if (!std::strcmp(a, "--warmup")) {
      warmup = ParseCount(a, i + 1 < argc ? argv[++i] : nullptr);
    } else if (!std::strcmp(a, "--samples")) {
      with_samples = true;
    } else if (!std::strcmp(a, "--srtp-init-once")) {
      srtp_init_once = true;
    } else if (!std::strcmp(a, "--log") && i + 1 < argc) {
      const std::string level = argv[++i];
      log_level = level == "verbose" ? rtc::LS_VERBOSE
                  : level == "info"  ? rtc::LS_INFO
                  : level == "warning" ? rtc::LS_WARNING
                  : level == "error" ? rtc::LS_ERROR
                                     : rtc::LS_NONE;
    } else {
      std::fprintf(stderr,
                   "usage: %s [--iterations N] [--connect-iterations N] [--warmup N] [--samples]"
                   " [--srtp-init-once] [--log none|error|warning|info|verbose]\n",
                   argv[0]);
      return std::strcmp(a, "--help") && std::strcmp(a, "-h") ? 64 : 0;
    }
  }

  const char* key = srtp_init_once ? "raw-libtgowt-srtp-init-once" : "raw-libtgowt";
  std::vector<double> create_answer, exchange, connect_ice, connect_open;
  int connect_failures = 0;
  int exit_code = 0;
  {
    Runtime rt(log_level, srtp_init_once);
    try {
      std::fprintf(stderr, "%s: warm-up\n", key);
      for (int i = 0; i < warmup; i++) ExchangeOnce(rt);
      for (int i = 0; i < std::min(warmup, 2); i++) ConnectOnce(rt);

      std::fprintf(stderr, "%s: createAnswer + exchange: %d iterations\n", key, iterations);
      for (int i = 0; i < iterations; i++) {
        const auto r = ExchangeOnce(rt);
        create_answer.push_back(r.create_answer_ms);
        exchange.push_back(r.exchange_ms);
      }
      std::fprintf(stderr, "%s: connect: %d iterations\n", key, connect_iterations);
      for (int i = 0; i < connect_iterations; i++) {
        try {
          const auto r = ConnectOnce(rt);
          connect_ice.push_back(r.ice_ms);
          connect_open.push_back(r.open_ms);
        } catch (const std::exception& e) {
          connect_failures++;
          std::fprintf(stderr, "%s: connect iteration %d failed: %s\n", key, i, e.what());
        }
      }
    } catch (const std::exception& e) {
      std::fprintf(stderr, "%s: error: %s\n", key, e.what());
      exit_code = 1;
    }
  }
  if (exit_code) return exit_code;

  std::printf(
      "{\n  \"machine\": {\"cpus\": %u, \"node\": null, \"libwebrtc\": \"Debian libtgowt\"},\n"
      "  \"results\": {\n    \"%s\": {\n"
      "      \"createAnswer\": %s,\n      \"exchange\": %s,\n"
      "      \"connect_ice\": %s,\n      \"connect_datachannel_open\": %s\n    }\n  }\n}\n",
      std::thread::hardware_concurrency(),
      key,
      Summary(create_answer, 0, with_samples).c_str(),
      Summary(exchange, 0, with_samples).c_str(),
      Summary(connect_ice, connect_failures, with_samples).c_str(),
      Summary(connect_open, connect_failures, with_samples).c_str());
  return 0;
}
