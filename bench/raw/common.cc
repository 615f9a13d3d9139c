#include "common.h"

#include <cstdio>
#include <cstdlib>
#include <future>
#include <stdexcept>
#include <thread>
#include <utility>

#include "api/audio_codecs/builtin_audio_decoder_factory.h"
#include "api/audio_codecs/builtin_audio_encoder_factory.h"
#include "api/create_peerconnection_factory.h"
#include "api/jsep.h"
#include "api/make_ref_counted.h"
#include "api/set_local_description_observer_interface.h"
#include "api/set_remote_description_observer_interface.h"
#include "api/task_queue/default_task_queue_factory.h"
#include "api/video_codecs/builtin_video_decoder_factory.h"
#include "api/video_codecs/builtin_video_encoder_factory.h"
#include "pc/srtp_session.h"
#include "rtc_base/ssl_adapter.h"

// Debian's libsrtp2 (a shared library, built against NSS).
#include <srtp2/srtp.h>

namespace rawbench {

using webrtc::PeerConnectionInterface;
using webrtc::SessionDescriptionInterface;

namespace {

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

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

// SetLocalDescriptionObserverInterface or SetRemoteDescriptionObserverInterface (`Base`), its
// completion (`OnComplete`) settling a future; `what` names the step in errors.
template <typename Base, const char* what>
class SetObserver : public Base {
 public:
  std::future<void> Future() { return promise_.get_future(); }

 protected:
  void Settle(webrtc::RTCError error) {
    if (error.ok()) {
      promise_.set_value();
    } else {
      promise_.set_exception(
          std::make_exception_ptr(std::runtime_error(std::string(what) + ": " + error.message())));
    }
  }

 private:
  std::promise<void> promise_;
};

constexpr char kSetLocal[] = "setLocalDescription";
constexpr char kSetRemote[] = "setRemoteDescription";

class SetLocalObserver
    : public SetObserver<webrtc::SetLocalDescriptionObserverInterface, kSetLocal> {
 public:
  void OnSetLocalDescriptionComplete(webrtc::RTCError error) override { Settle(error); }
};

class SetRemoteObserver
    : public SetObserver<webrtc::SetRemoteDescriptionObserverInterface, kSetRemote> {
 public:
  void OnSetRemoteDescriptionComplete(webrtc::RTCError error) override { Settle(error); }
};

std::unique_ptr<SessionDescriptionInterface> Parse(webrtc::SdpType type, const std::string& sdp) {
  webrtc::SdpParseError err;
  auto desc = webrtc::CreateSessionDescription(type, sdp, &err);
  if (!desc) throw std::runtime_error("SDP parse error: " + err.description + " in " + err.line);
  return desc;
}

}  // namespace

// --- the runtime -----------------------------------------------------------------------------

Runtime::Runtime(rtc::LoggingSeverity log_level, bool srtp_init_once)
    : srtp_init_once_(srtp_init_once) {
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

Runtime::~Runtime() {
  factory_ = nullptr;
  worker_->BlockingCall([&] { adm_ = nullptr; });
  signaling_->Stop();
  worker_->Stop();
  network_->Stop();
  if (srtp_init_once_) srtp_shutdown();
  rtc::CleanupSSL();
}

rtc::scoped_refptr<PeerConnectionInterface> Runtime::CreatePeer(
    webrtc::PeerConnectionObserver* observer) {
  PeerConnectionInterface::RTCConfiguration config;
  config.sdp_semantics = webrtc::SdpSemantics::kUnifiedPlan;
  auto result =
      factory_->CreatePeerConnectionOrError(config, webrtc::PeerConnectionDependencies(observer));
  if (!result.ok()) {
    throw std::runtime_error(std::string("CreatePeerConnection: ") + result.error().message());
  }
  return result.MoveValue();
}

// --- negotiation -----------------------------------------------------------------------------

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

void OfferAnswer(PeerConnectionInterface* a, PeerConnectionInterface* b, Trickle* to_b,
                 Trickle* to_a, double* answer_ms) {
  const std::string offer = CreateOffer(a);
  SetLocal(a, webrtc::SdpType::kOffer, offer);
  SetRemote(b, webrtc::SdpType::kOffer, offer);
  if (to_b) to_b->RemoteDescriptionSet();
  const std::string answer = CreateAnswer(b, answer_ms);
  SetLocal(b, webrtc::SdpType::kAnswer, answer);
  SetRemote(a, webrtc::SdpType::kAnswer, answer);
  if (to_a) to_a->RemoteDescriptionSet();
}

// --- trickle ---------------------------------------------------------------------------------

void Trickle::SetTarget(rtc::scoped_refptr<PeerConnectionInterface> target) {
  std::lock_guard<std::mutex> lock(mutex_);
  target_ = std::move(target);
}

void Trickle::OnCandidate(const webrtc::IceCandidateInterface* c) {
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

void Trickle::RemoteDescriptionSet() {
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

void Trickle::Close() {
  std::lock_guard<std::mutex> lock(mutex_);
  closed_ = true;
  target_ = nullptr;
  pending_.clear();
}

void Trickle::Add(const rtc::scoped_refptr<PeerConnectionInterface>& target, const Pending& p) {
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

// --- arguments and output --------------------------------------------------------------------

const char* RequireValue(const char* flag, const char* value) {
  if (!value) {
    std::fprintf(stderr, "%s needs a value\n", flag);
    std::exit(64);
  }
  return value;
}

rtc::LoggingSeverity ParseLogLevel(const std::string& level) {
  return level == "verbose"   ? rtc::LS_VERBOSE
         : level == "info"    ? rtc::LS_INFO
         : level == "warning" ? rtc::LS_WARNING
         : level == "error"   ? rtc::LS_ERROR
                              : rtc::LS_NONE;
}

std::string MachineJson() {
  return "{\"cpus\": " + std::to_string(std::thread::hardware_concurrency()) +
         ", \"node\": null, \"libwebrtc\": \"Debian libtgowt\"}";
}

}  // namespace rawbench
