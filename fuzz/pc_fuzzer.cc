// libFuzzer target: a remote offer, parsed by the addon's own parse step (native/peer/
// sdp_input.h) and applied to a real PeerConnection, as a server answering browsers does:
// setRemoteDescription(offer), createAnswer(), the remote description serialized back (the
// addon's pc.remoteDescription), then setRemoteDescription({type: 'rollback'}) to return to
// stable for the next input. This reaches what the parse-only target cannot: libwebrtc's
// description validation (bundle groups, mids, payload types, simulcast, SSRC groups),
// JsepTransportController's transports made from the remote ICE and DTLS parameters, the
// remote candidates handed to P2PTransportChannel, the media channels configured with the
// remote codecs and header extensions through the addon's codec factories (native/media/
// codecs.cc), and the answer negotiated against the offer.
//
// The connection is made as the addon makes it (rtc_peer_connection.cc: unified plan,
// implicit rollback, balanced bundle, rtcp-mux required) and replaced every kInputsPerConnection
// inputs, or sooner when it is left out of stable, so that state left behind by one input does
// not pile up. Two differences from the addon, for speed and to stay off the network: one
// ECDSA certificate made once for every connection, and hostnames in remote candidates (mDNS
// .local) are not resolved (libwebrtc keeps them pending).
//
// Input: the SDP text, applied as an offer (a "type:<word>" first line, as sdp_fuzzer.cc takes,
// is honoured only for "rollback"; answers are applied as offers).
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <memory>
#include <string>

#include "api/async_resolver_factory.h"
#include "api/create_peerconnection_factory.h"
#include "api/peer_connection_interface.h"
#include "api/video_codecs/builtin_video_encoder_factory.h"
#include "media/codecs.h"
#include "fuzz_input.h"
#include "peer/sdp_input.h"
#include "rtc_base/async_resolver_interface.h"
#include "rtc_base/event.h"
#include "rtc_base/logging.h"
#include "rtc_base/rtc_certificate_generator.h"
#include "rtc_base/thread.h"

namespace {

constexpr int kInputsPerConnection = 500;
constexpr int kTimeoutMs = 10000;  // a blocked operation: reported as a hang
bool verbose = false;
// How far inputs get, printed at exit (scripts/fuzz.sh shows it): parsed, applied (remote offer
// accepted), answered (createAnswer succeeded).
struct Counts {
  unsigned long inputs = 0, parsed = 0, applied = 0, answered = 0, connections = 0;
} counts;
void PrintCounts() {
  fprintf(stderr, "pc_fuzzer: %lu inputs, %lu parsed, %lu applied, %lu answered, %lu connections\n",
          counts.inputs, counts.parsed, counts.applied, counts.answered, counts.connections);
}

class Observer : public webrtc::PeerConnectionObserver {
 public:
  void OnSignalingChange(webrtc::PeerConnectionInterface::SignalingState) override {}
  void OnDataChannel(rtc::scoped_refptr<webrtc::DataChannelInterface>) override {}
  void OnIceGatheringChange(webrtc::PeerConnectionInterface::IceGatheringState) override {}
  void OnIceCandidate(const webrtc::IceCandidateInterface*) override {}
  void OnTrack(rtc::scoped_refptr<webrtc::RtpTransceiverInterface> transceiver) override {
    // What the addon reads for a track event.
    volatile bool has_mid = transceiver->mid().has_value();
    (void)has_mid;
    (void)transceiver->receiver()->stream_ids();
  }
};

// The resolver of hostname candidates: never resolves (and never answers). The old-style
// factory, because PeerConnectionFactory fills that one in with its default when it is
// missing, and a connection given both kinds fails.
class NoDnsResolver : public rtc::AsyncResolverInterface {
 public:
  void Start(const rtc::SocketAddress&) override {}
  void Start(const rtc::SocketAddress&, int) override {}
  bool GetResolvedAddress(int, rtc::SocketAddress*) const override { return false; }
  int GetError() const override { return -1; }
  void Destroy(bool) override { delete this; }
};

class NoDnsResolverFactory : public webrtc::AsyncResolverFactory {
 public:
  rtc::AsyncResolverInterface* Create() override { return new NoDnsResolver(); }
};

class SetRemoteObserver : public webrtc::SetRemoteDescriptionObserverInterface {
 public:
  void OnSetRemoteDescriptionComplete(webrtc::RTCError error) override {
    error_ = std::move(error);
    done_.Set();
  }
  webrtc::RTCError Wait() {
    if (!done_.Wait(webrtc::TimeDelta::Millis(kTimeoutMs))) {
      fprintf(stderr, "pc_fuzzer: setRemoteDescription did not complete\n");
      abort();
    }
    return std::move(error_);
  }

 private:
  rtc::Event done_;
  webrtc::RTCError error_;
};

class CreateObserver : public webrtc::CreateSessionDescriptionObserver {
 public:
  void OnSuccess(webrtc::SessionDescriptionInterface* description) override {
    std::unique_ptr<webrtc::SessionDescriptionInterface> owned(description);
    std::string sdp;
    owned->ToString(&sdp);
    succeeded_ = true;
    done_.Set();
  }
  void OnFailure(webrtc::RTCError) override { done_.Set(); }
  bool succeeded() const { return succeeded_; }
  void Wait() {
    if (!done_.Wait(webrtc::TimeDelta::Millis(kTimeoutMs))) {
      fprintf(stderr, "pc_fuzzer: createAnswer did not complete\n");
      abort();
    }
  }

 private:
  rtc::Event done_;
  bool succeeded_ = false;
};

struct Runtime {
  Runtime()
      : network(rtc::Thread::CreateWithSocketServer()),
        worker(rtc::Thread::Create()),
        signaling(rtc::Thread::Create()) {
    network->Start();
    worker->Start();
    signaling->Start();
    // As native/runtime/common.cc, but with libwebrtc's default (dummy) audio device.
    factory = webrtc::CreatePeerConnectionFactory(
        network.get(), worker.get(), signaling.get(), nullptr, lwn::CreateAudioEncoderFactory(),
        lwn::CreateAudioDecoderFactory(), webrtc::CreateBuiltinVideoEncoderFactory(),
        lwn::CreateVideoDecoderFactory(), nullptr, nullptr, nullptr, nullptr);
    certificate =
        rtc::RTCCertificateGenerator::GenerateCertificate(rtc::KeyParams::ECDSA(), absl::nullopt);
    if (!factory || !certificate) {
      fprintf(stderr, "pc_fuzzer: no PeerConnectionFactory\n");
      abort();
    }
  }

  void Recreate() {
    if (pc) pc->Close();
    pc = nullptr;
    webrtc::PeerConnectionInterface::RTCConfiguration config;
    // As ReadConfiguration() in native/peer/rtc_peer_connection.cc, with its defaults.
    config.sdp_semantics = webrtc::SdpSemantics::kUnifiedPlan;
    config.enable_implicit_rollback = true;
    config.bundle_policy = webrtc::PeerConnectionInterface::kBundlePolicyBalanced;
    config.rtcp_mux_policy = webrtc::PeerConnectionInterface::kRtcpMuxPolicyRequire;
    config.certificates.push_back(certificate);
    webrtc::PeerConnectionDependencies dependencies(&observer);
    dependencies.async_resolver_factory = std::make_unique<NoDnsResolverFactory>();
    auto result = factory->CreatePeerConnectionOrError(config, std::move(dependencies));
    if (!result.ok()) {
      fprintf(stderr, "pc_fuzzer: CreatePeerConnection: %s\n", result.error().message());
      abort();
    }
    pc = result.MoveValue();
    inputs = 0;
    ++counts.connections;
  }

  std::unique_ptr<rtc::Thread> network, worker, signaling;
  rtc::scoped_refptr<webrtc::PeerConnectionFactoryInterface> factory;
  rtc::scoped_refptr<rtc::RTCCertificate> certificate;
  Observer observer;
  rtc::scoped_refptr<webrtc::PeerConnectionInterface> pc;
  int inputs = 0;
};

Runtime* runtime = nullptr;  // made once, lives as long as the process

webrtc::RTCError Apply(std::unique_ptr<webrtc::SessionDescriptionInterface> description) {
  auto observer = rtc::make_ref_counted<SetRemoteObserver>();
  runtime->pc->SetRemoteDescription(std::move(description), observer);
  return observer->Wait();
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  verbose = getenv("LWN_FUZZ_VERBOSE") != nullptr;
  rtc::LogMessage::LogToDebug(verbose ? rtc::LS_WARNING : rtc::LS_NONE);
  rtc::LogMessage::SetLogToStderr(verbose);
  runtime = new Runtime();
  runtime->Recreate();
  atexit(PrintCounts);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ++counts.inputs;
  std::string input(reinterpret_cast<const char*>(data), size);
  std::string type = "offer";
  if (lwn_fuzz::TakeHeaderLine(input, "type:") == "rollback") type = "rollback";
  auto parsed = lwn::ParseSessionDescription(type, input);
  if (!parsed.ok()) return 0;
  ++counts.parsed;

  if (++runtime->inputs > kInputsPerConnection) runtime->Recreate();
  webrtc::RTCError error = Apply(parsed.MoveValue());
  if (!error.ok() && strstr(error.message(), "Session error")) {
    // An earlier input failed past validation and left the connection in libwebrtc's session
    // error state, where every description fails: a fresh connection, and this input again.
    runtime->Recreate();
    error = Apply(lwn::ParseSessionDescription(type, input).MoveValue());
  }
  if (verbose) fprintf(stderr, "setRemoteDescription: %s\n", error.ok() ? "ok" : error.message());
  if (runtime->pc->signaling_state() == webrtc::PeerConnectionInterface::kStable) return 0;
  ++counts.applied;

  // have-remote-offer: what the addon and a server then do with it.
  std::string sdp;
  runtime->pc->remote_description()->ToString(&sdp);
  for (const auto& transceiver : runtime->pc->GetTransceivers()) {
    (void)transceiver->mid();
    (void)transceiver->current_direction();
  }
  auto create = rtc::make_ref_counted<CreateObserver>();
  runtime->pc->CreateAnswer(create.get(), webrtc::PeerConnectionInterface::RTCOfferAnswerOptions());
  create->Wait();
  if (create->succeeded()) ++counts.answered;

  auto rollback = lwn::ParseSessionDescription("rollback", "");
  webrtc::RTCError rolled_back = Apply(rollback.MoveValue());
  if (!rolled_back.ok() ||
      runtime->pc->signaling_state() != webrtc::PeerConnectionInterface::kStable) {
    if (verbose) fprintf(stderr, "rollback: %s\n", rolled_back.message());
    runtime->Recreate();
  }
  return 0;
}
