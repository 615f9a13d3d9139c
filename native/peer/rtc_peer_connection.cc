#include "peer/rtc_peer_connection.h"

#include <array>

#include "api/jsep.h"
#include "api/rtp_transceiver_interface.h"
#include "api/sctp_transport_interface.h"
#include "media/sctp/sctp_transport_internal.h"
#include "peer/rtc_certificate.h"
#include "peer/port_allocator.h"
#include "peer/rtc_data_channel.h"
#include "peer/sdp_input.h"
#include "media/rtc_rtp_transceiver.h"

namespace lwn {

namespace {

using PCI = webrtc::PeerConnectionInterface;

const char* ToString(PCI::SignalingState state) {
  switch (state) {
    case PCI::kStable:
      return "stable";
    case PCI::kHaveLocalOffer:
      return "have-local-offer";
    case PCI::kHaveLocalPrAnswer:
      return "have-local-pranswer";
    case PCI::kHaveRemoteOffer:
      return "have-remote-offer";
    case PCI::kHaveRemotePrAnswer:
      return "have-remote-pranswer";
    case PCI::kClosed:
      return "closed";
  }
  return "closed";
}

const char* ToString(PCI::IceGatheringState state) {
  switch (state) {
    case PCI::kIceGatheringNew:
      return "new";
    case PCI::kIceGatheringGathering:
      return "gathering";
    case PCI::kIceGatheringComplete:
      return "complete";
  }
  return "new";
}

const char* ToString(PCI::IceConnectionState state) {
  switch (state) {
    case PCI::kIceConnectionNew:
      return "new";
    case PCI::kIceConnectionChecking:
      return "checking";
    case PCI::kIceConnectionConnected:
      return "connected";
    case PCI::kIceConnectionCompleted:
      return "completed";
    case PCI::kIceConnectionFailed:
      return "failed";
    case PCI::kIceConnectionDisconnected:
      return "disconnected";
    case PCI::kIceConnectionClosed:
    case PCI::kIceConnectionMax:
      break;
  }
  return "closed";
}

const char* ToString(PCI::PeerConnectionState state) {
  switch (state) {
    case PCI::PeerConnectionState::kNew:
      return "new";
    case PCI::PeerConnectionState::kConnecting:
      return "connecting";
    case PCI::PeerConnectionState::kConnected:
      return "connected";
    case PCI::PeerConnectionState::kDisconnected:
      return "disconnected";
    case PCI::PeerConnectionState::kFailed:
      return "failed";
    case PCI::PeerConnectionState::kClosed:
      break;
  }
  return "closed";
}

// A description copied off libwebrtc, to be turned into JS on the JS thread. The SDP text is
// shared, not copied, between the events that carry it.
struct DescriptionCopy {
  bool present = false;
  const char* type = "";
  std::shared_ptr<const std::string> sdp;
};

Napi::Value ToJs(Napi::Env env, const DescriptionCopy& copy) {
  if (!copy.present) return env.Null();
  Napi::Object o = Napi::Object::New(env);
  o.Set("type", copy.type);
  o.Set("sdp", *copy.sdp);
  return o;
}

struct Snapshot {
  DescriptionCopy current_local, pending_local, current_remote, pending_remote;
};

}  // namespace

// Serializing a description costs tens of microseconds on the signaling thread, and every
// operation and state event carries all four: remember the text of each description until it
// changes. A description changes only by gaining candidates, and a new one differs in its
// origin line, so the key is (object, session id and version, type, candidate count).
class SdpTextCache {
 public:
  // Serializes without remembering (a description made once, e.g. by createOffer).
  static DescriptionCopy Serialize(const webrtc::SessionDescriptionInterface* description) {
    DescriptionCopy copy;
    if (!description) return copy;
    copy.present = true;
    copy.type = TypeName(description->GetType());
    auto sdp = std::make_shared<std::string>();
    description->ToString(sdp.get());
    copy.sdp = std::move(sdp);
    return copy;
  }

  DescriptionCopy Copy(const webrtc::SessionDescriptionInterface* description) {
    if (!description) return DescriptionCopy();
    Key key{description, description->session_id(), description->session_version(),
            description->GetType(), 0};
    for (size_t i = 0; i < description->number_of_mediasections(); ++i) {
      key.candidates += description->candidates(i)->count();
    }
    for (Entry& entry : entries_) {
      if (entry.key == key) return {true, TypeName(key.type), entry.sdp};
    }
    DescriptionCopy copy = Serialize(description);
    entries_[next_] = {key, copy.sdp};
    next_ = (next_ + 1) % entries_.size();
    return copy;
  }

 private:
  static const char* TypeName(webrtc::SdpType type) {
    return type == webrtc::SdpType::kOffer      ? "offer"
           : type == webrtc::SdpType::kPrAnswer ? "pranswer"
           : type == webrtc::SdpType::kAnswer   ? "answer"
                                                : "rollback";
  }
  struct Key {
    const void* object = nullptr;
    std::string session_id, session_version;
    webrtc::SdpType type = webrtc::SdpType::kOffer;
    size_t candidates = 0;
    bool operator==(const Key&) const = default;
  };
  struct Entry {
    Key key;
    std::shared_ptr<const std::string> sdp;
  };
  std::array<Entry, 8> entries_;
  size_t next_ = 0;
};

namespace {

// Signaling thread (the proxy then calls straight through), inside EventQueue::Post.
Snapshot TakeSnapshot(PCI* pc, SdpTextCache& cache) {
  Snapshot s;
  if (!pc) return s;
  s.current_local = cache.Copy(pc->current_local_description());
  s.pending_local = cache.Copy(pc->pending_local_description());
  s.current_remote = cache.Copy(pc->current_remote_description());
  s.pending_remote = cache.Copy(pc->pending_remote_description());
  return s;
}

Napi::Object ToJs(Napi::Env env, const Snapshot& s) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("currentLocal", ToJs(env, s.current_local));
  o.Set("pendingLocal", ToJs(env, s.pending_local));
  o.Set("currentRemote", ToJs(env, s.current_remote));
  o.Set("pendingRemote", ToJs(env, s.pending_remote));
  return o;
}

EventBuilder StateEvent(const char* type, const char* state) {
  return [type, state](Napi::Env env) -> Napi::Value {
    Napi::Object o = Napi::Object::New(env);
    o.Set("type", type);
    o.Set("state", state);
    return o;
  };
}

// A connection-level state change, with every DTLS transport's state read just before it, so
// that lib/ applies the transports' changes first (the spec's order).
EventBuilder TransportStateEvent(const char* type, const char* state,
                                 std::vector<DtlsTransportRegistry::State> transports) {
  return [type, state, transports = std::move(transports)](Napi::Env env) -> Napi::Value {
    Napi::Object o = Napi::Object::New(env);
    o.Set("type", type);
    o.Set("state", state);
    o.Set("transports", ToJs(env, transports));
    return o;
  };
}

// createOffer/createAnswer completion. libwebrtc calls it on the signaling thread.
class CreateSdpObserver : public webrtc::CreateSessionDescriptionObserver {
 public:
  CreateSdpObserver(std::shared_ptr<PeerConnectionCore> core, int op_id)
      : core_(std::move(core)), op_id_(op_id) {}

  void OnSuccess(webrtc::SessionDescriptionInterface* raw) override {
    std::unique_ptr<webrtc::SessionDescriptionInterface> description(raw);  // ours now
    DescriptionCopy copy = SdpTextCache::Serialize(description.get());
    int op_id = op_id_;
    core_->events.Post([&] {
      return [op_id, copy](Napi::Env env) -> Napi::Value {
        Napi::Object o = Napi::Object::New(env);
        o.Set("type", "operation");
        o.Set("opId", op_id);
        o.Set("error", env.Null());
        o.Set("description", ToJs(env, copy));
        return o;
      };
    });
  }

  void OnFailure(webrtc::RTCError error) override {
    core_->PostOperationDone(op_id_, std::move(error), false);
  }

 private:
  std::shared_ptr<PeerConnectionCore> core_;
  int op_id_;
};

// setLocalDescription/setRemoteDescription completion (signaling thread).
class SetSdpObserver : public webrtc::SetLocalDescriptionObserverInterface,
                       public webrtc::SetRemoteDescriptionObserverInterface {
 public:
  SetSdpObserver(std::shared_ptr<PeerConnectionCore> core, int op_id)
      : core_(std::move(core)), op_id_(op_id) {}
  void OnSetLocalDescriptionComplete(webrtc::RTCError error) override {
    core_->PostOperationDone(op_id_, std::move(error), true, true);
  }
  void OnSetRemoteDescriptionComplete(webrtc::RTCError error) override {
    core_->PostOperationDone(op_id_, std::move(error), true, true);
  }

 private:
  std::shared_ptr<PeerConnectionCore> core_;
  int op_id_;
};

webrtc::PeerConnectionInterface::RTCOfferAnswerOptions ReadOfferAnswerOptions(
    const Napi::Value& value) {
  webrtc::PeerConnectionInterface::RTCOfferAnswerOptions options;
  if (!value.IsObject()) return options;
  Napi::Object o = value.As<Napi::Object>();
  options.ice_restart = GetBool(o, "iceRestart");
  options.voice_activity_detection = GetBool(o, "voiceActivityDetection");
  options.offer_to_receive_audio = GetInt(o, "offerToReceiveAudio", -1);
  options.offer_to_receive_video = GetInt(o, "offerToReceiveVideo", -1);
  return options;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// PeerConnectionCore

PeerConnectionCore::PeerConnectionCore(Napi::Env env, Napi::Function handler,
                                       rtc::Thread* signaling_thread, rtc::Thread* network_thread)
    : events(env, handler, "RTCPeerConnection"),
      signaling_thread(signaling_thread),
      network_thread(network_thread),
      sdp_cache_(std::make_unique<SdpTextCache>()) {}

PeerConnectionCore::~PeerConnectionCore() = default;

bool PeerConnectionCore::AddChannel(const std::shared_ptr<DataChannelCore>& core) {
  std::lock_guard<std::mutex> lock(channels_mutex);
  if (channels_closed) return false;
  channels.push_back(core);
  return true;
}

// The state, limits and DTLS transport of an SCTP transport, as lib/ takes them.
struct SctpRecord {
  const char* state;
  double max_message_size;  // -1: not known yet
  int max_channels;         // -1: not known yet
  int dtls_handle;          // -1: none
};

namespace {
SctpRecord ToRecord(const webrtc::SctpTransportInformation& info, int dtls_handle) {
  const char* state = "connecting";
  if (info.state() == webrtc::SctpTransportState::kConnected) state = "connected";
  if (info.state() == webrtc::SctpTransportState::kClosed) state = "closed";
  // SCTP may negotiate 65535 streams, but this libwebrtc's data channels use ids below
  // cricket::kMaxSctpStreams (1024) only: report what createDataChannel can really use.
  int max_channels = info.MaxChannels()
                         ? std::min(*info.MaxChannels(), static_cast<int>(cricket::kMaxSctpStreams))
                         : -1;
  return {state, info.MaxMessageSize() ? *info.MaxMessageSize() : -1.0, max_channels, dtls_handle};
}

Napi::Object ToJs(Napi::Env env, const SctpRecord& r) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("state", r.state);
  o.Set("maxMessageSize", r.max_message_size >= 0
                              ? Napi::Value(Napi::Number::New(env, r.max_message_size))
                              : env.Null());
  o.Set("maxChannels",
        r.max_channels >= 0 ? Napi::Value(Napi::Number::New(env, r.max_channels)) : env.Null());
  o.Set("dtlsHandle",
        r.dtls_handle >= 0 ? Napi::Value(Napi::Number::New(env, r.dtls_handle)) : env.Null());
  return o;
}
}  // namespace

void PeerConnectionCore::PostOperationDone(int op_id, webrtc::RTCError error,
                                           bool with_descriptions, bool negotiation) {
  std::optional<SctpFound> sctp;
  if (negotiation) sctp = FindSctp_s();
  events.Post([&] {
    bool ok = error.ok();
    auto shared_error = std::make_shared<webrtc::RTCError>(std::move(error));
    Snapshot snapshot;
    std::vector<DtlsTransportRegistry::State> transports;
    if (with_descriptions) {
      snapshot = TakeSnapshot(pc.get(), *sdp_cache_);
      if (negotiation && pc) {
        // Watched from now on, so connection state events carry their states too.
        for (auto& transceiver : pc->GetTransceivers()) {
          if (auto dtls = transceiver->sender()->dtls_transport()) {
            dtls_transports.Handle(dtls, shared_from_this());
          }
        }
      }
      transports = dtls_transports.States();
    }
    std::optional<SctpRecord> sctp_record;
    if (sctp) sctp_record = ToRecord(sctp->info, sctp->dtls_handle);
    return [op_id, ok, shared_error, with_descriptions, snapshot, transports,
            sctp_record](Napi::Env env) -> Napi::Value {
      Napi::Object o = Napi::Object::New(env);
      o.Set("type", "operation");
      o.Set("opId", op_id);
      o.Set("error", ok ? env.Null() : Napi::Value(ErrorRecord(env, *shared_error)));
      if (with_descriptions) {
        o.Set("descriptions", ToJs(env, snapshot));
        o.Set("transports", ToJs(env, transports));
        if (sctp_record) o.Set("sctp", ToJs(env, *sctp_record));
      }
      return o;
    };
  });
}

void PeerConnectionCore::OnSignalingChange(PCI::SignalingState state) {
  // 'closed' comes only from close(), which lib/ reports itself without an event (spec).
  if (state == PCI::kClosed) return;
  // libwebrtc has already applied the description that changed the state: carry the
  // descriptions along, so a listener sees them updated together with signalingState.
  events.Post([&] {
    Snapshot snapshot = TakeSnapshot(pc.get(), *sdp_cache_);
    const char* name = ToString(state);
    return [name, snapshot](Napi::Env env) -> Napi::Value {
      Napi::Object o = Napi::Object::New(env);
      o.Set("type", "signalingstatechange");
      o.Set("state", name);
      o.Set("descriptions", ToJs(env, snapshot));
      return o;
    };
  });
}

std::vector<DtlsTransportRegistry::State> PeerConnectionCore::TransportStates_s() {
  // libwebrtc computes these connection states on the network thread and posts them here,
  // while the DTLS transport objects learn their own new state from the same network task,
  // possibly later: waiting for that task to end makes the states read here at least as new as
  // the change being reported. Not under the event queue's lock (the network thread may be
  // waiting for it to post an event).
  return network_thread->BlockingCall([this] { return dtls_transports.States(); });
}

void PeerConnectionCore::OnStandardizedIceConnectionChange(PCI::IceConnectionState state) {
  auto transports = TransportStates_s();
  events.Post(
      [&] { return TransportStateEvent("iceconnectionstatechange", ToString(state), transports); });
}

void PeerConnectionCore::OnConnectionChange(PCI::PeerConnectionState state) {
  auto transports = TransportStates_s();
  events.Post(
      [&] { return TransportStateEvent("connectionstatechange", ToString(state), transports); });
}

void PeerConnectionCore::OnIceGatheringChange(PCI::IceGatheringState state) {
  events.Post([&] { return StateEvent("icegatheringstatechange", ToString(state)); });
}

void PeerConnectionCore::OnNegotiationNeededEvent(uint32_t event_id) {
  events.Post([&] {
    return [event_id](Napi::Env env) -> Napi::Value {
      Napi::Object o = Napi::Object::New(env);
      o.Set("type", "negotiationneeded");
      o.Set("eventId", static_cast<double>(event_id));
      return o;
    };
  });
}

void PeerConnectionCore::OnIceCandidate(const webrtc::IceCandidateInterface* candidate) {
  std::string sdp;
  if (!candidate->ToString(&sdp)) return;
  std::string mid = candidate->sdp_mid();
  int index = candidate->sdp_mline_index();
  std::string ufrag = candidate->candidate().username();
  events.Post([&] {
    Snapshot snapshot = TakeSnapshot(pc.get(), *sdp_cache_);
    return [sdp, mid, index, ufrag, snapshot](Napi::Env env) -> Napi::Value {
      Napi::Object c = Napi::Object::New(env);
      c.Set("candidate", sdp);
      c.Set("sdpMid", mid);
      c.Set("sdpMLineIndex", index);
      c.Set("usernameFragment", ufrag.empty() ? env.Null() : Napi::String::New(env, ufrag));
      Napi::Object o = Napi::Object::New(env);
      o.Set("type", "icecandidate");
      o.Set("candidate", c);
      o.Set("descriptions", ToJs(env, snapshot));
      return o;
    };
  });
}

void PeerConnectionCore::OnIceCandidateError(const std::string& address, int port,
                                             const std::string& url, int error_code,
                                             const std::string& error_text) {
  events.Post([&] {
    return [address, port, url, error_code, error_text](Napi::Env env) -> Napi::Value {
      Napi::Object o = Napi::Object::New(env);
      o.Set("type", "icecandidateerror");
      // libwebrtc reports a host candidate's address with its last octets hidden, or none.
      o.Set("address", address.empty() ? env.Null() : Napi::String::New(env, address));
      o.Set("port", port > 0 ? Napi::Number::New(env, port) : env.Null());
      o.Set("url", url);
      o.Set("errorCode", error_code);
      o.Set("errorText", error_text);
      return o;
    };
  });
}

void PeerConnectionCore::OnDataChannel(rtc::scoped_refptr<webrtc::DataChannelInterface> channel) {
  // Register our observer now, on the signaling thread, so no message is missed between this
  // event and JS taking the channel.
  auto core = std::make_shared<DataChannelCore>(shared_from_this(), channel,
                                                next_channel_handle.fetch_add(1));
  if (!AddChannel(core)) {
    core->Detach();  // closed meanwhile; we are on the signaling thread, so this is direct
    return;
  }
  events.Post([&] {
    return [core](Napi::Env env) -> Napi::Value {
      Napi::Object o = Napi::Object::New(env);
      o.Set("type", "datachannel");
      o.Set("channel", RTCDataChannel::Wrap(env, core));
      return o;
    };
  });
}

std::optional<PeerConnectionCore::SctpFound> PeerConnectionCore::FindSctp_s() {
  // `pc` may be read only while the queue is attached (close() releases it after detaching);
  // the copy is used outside the queue's lock, since GetSctpTransport() runs on the network
  // thread, which may itself be waiting for that lock to post an event. The copy is never the
  // last reference: close() cannot drop the connection's own before this observer returns
  // (its Close() waits for the signaling thread).
  rtc::scoped_refptr<webrtc::PeerConnectionInterface> connection;
  events.IfAttached([&] { connection = pc; });
  if (!connection) return std::nullopt;
  rtc::scoped_refptr<webrtc::SctpTransportInterface> sctp = connection->GetSctpTransport();
  if (!sctp) return std::nullopt;
  // A blocking hop to the network thread (libwebrtc answers Information() from there), once
  // per description applied: it carries the DTLS transport, which lib/ must know as
  // RTCSctpTransport is made, and which BUNDLE may change later.
  SctpFound found{-1, sctp->Information()};
  if (found.info.dtls_transport()) {
    found.dtls_handle = dtls_transports.Handle(found.info.dtls_transport(), shared_from_this());
  }
  if (sctp_found_) return found;
  sctp_found_ = true;
  // StopWatchingTransports() runs on the network thread too, after this task.
  network_thread->PostTask([self = shared_from_this(), sctp] {
    self->sctp_transport_ = sctp;
    sctp->RegisterObserver(&self->sctp_observer_);
    // Report where it is now: it may have moved on since Information() above.
    self->sctp_observer_.OnStateChange(sctp->Information());
  });
  return found;
}

void PeerConnectionCore::StopWatchingTransports() {
  network_thread->BlockingCall([this] {
    if (sctp_transport_) sctp_transport_->UnregisterObserver();
    sctp_transport_ = nullptr;
    dtls_transports.Stop_n();
  });
}

void PeerConnectionCore::SctpObserver::OnStateChange(webrtc::SctpTransportInformation info) {
  SctpRecord record = ToRecord(info, -1);
  core_->events.Post([&] {
    return [record](Napi::Env env) -> Napi::Value {
      Napi::Object o = ToJs(env, record);
      o.Set("type", "sctpstatechange");
      return o;
    };
  });
}

// ---------------------------------------------------------------------------------------------
// RTCPeerConnection

void ReadConfiguration(const Napi::Object& record, PCI::RTCConfiguration* config) {
  config->sdp_semantics = webrtc::SdpSemantics::kUnifiedPlan;
  // As Chromium: a remote offer in have-local-offer rolls the local one back (perfect
  // negotiation), and ICE candidates are gathered once per description.
  config->enable_implicit_rollback = true;
  config->servers.clear();
  Napi::Value servers = record.Get("iceServers");
  if (servers.IsArray()) {
    Napi::Array list = servers.As<Napi::Array>();
    for (uint32_t i = 0; i < list.Length(); ++i) {
      Napi::Value item = list.Get(i);
      if (!item.IsObject()) continue;
      Napi::Object s = item.As<Napi::Object>();
      PCI::IceServer server;
      Napi::Value urls = s.Get("urls");
      if (urls.IsArray()) {
        Napi::Array url_list = urls.As<Napi::Array>();
        for (uint32_t j = 0; j < url_list.Length(); ++j) {
          Napi::Value url = url_list.Get(j);
          if (url.IsString()) server.urls.push_back(url.As<Napi::String>().Utf8Value());
        }
      }
      server.username = GetString(s, "username");
      server.password = GetString(s, "credential");
      // Nonstandard (libwebrtc's native SDKs have it): a turns: server's certificate unchecked.
      if (GetString(s, "tlsCertPolicy") == "insecureNoCheck") {
        server.tls_cert_policy = PCI::kTlsCertPolicyInsecureNoCheck;
      }
      config->servers.push_back(std::move(server));
    }
  }
  config->type = GetString(record, "iceTransportPolicy") == "relay" ? PCI::kRelay : PCI::kAll;
  std::string bundle = GetString(record, "bundlePolicy");
  config->bundle_policy = bundle == "max-bundle"   ? PCI::kBundlePolicyMaxBundle
                          : bundle == "max-compat" ? PCI::kBundlePolicyMaxCompat
                                                   : PCI::kBundlePolicyBalanced;
  config->rtcp_mux_policy = GetString(record, "rtcpMuxPolicy") == "negotiate"
                                ? PCI::kRtcpMuxPolicyNegotiate
                                : PCI::kRtcpMuxPolicyRequire;
  config->ice_candidate_pool_size = GetInt(record, "iceCandidatePoolSize", 0);
  config->certificates.clear();
  Napi::Value certificates = record.Get("certificates");
  if (certificates.IsArray()) {
    Napi::Array list = certificates.As<Napi::Array>();
    for (uint32_t i = 0; i < list.Length(); ++i) {
      if (auto certificate = RTCCertificate::FromValue(list.Get(i))) {
        config->certificates.push_back(certificate);
      }
    }
  }
}

Napi::Function RTCPeerConnection::Init(Napi::Env env) {
  return DefineClass(
      env, "PeerConnection",
      {
          InstanceMethod<&RTCPeerConnection::CreateOffer>("createOffer"),
          InstanceMethod<&RTCPeerConnection::CreateAnswer>("createAnswer"),
          InstanceMethod<&RTCPeerConnection::SetLocalDescription>("setLocalDescription"),
          InstanceMethod<&RTCPeerConnection::SetRemoteDescription>("setRemoteDescription"),
          InstanceMethod<&RTCPeerConnection::AddIceCandidate>("addIceCandidate"),
          InstanceMethod<&RTCPeerConnection::RestartIce>("restartIce"),
          InstanceMethod<&RTCPeerConnection::SetConfiguration>("setConfiguration"),
          InstanceMethod<&RTCPeerConnection::ShouldFireNegotiationNeeded>(
              "shouldFireNegotiationNeeded"),
          InstanceMethod<&RTCPeerConnection::CreateDataChannel>("createDataChannel"),
          InstanceMethod<&RTCPeerConnection::AddTrack>("addTrack"),
          InstanceMethod<&RTCPeerConnection::RemoveTrack>("removeTrack"),
          InstanceMethod<&RTCPeerConnection::AddTransceiver>("addTransceiver"),
          InstanceMethod<&RTCPeerConnection::GetTransceivers>("getTransceivers"),
          InstanceMethod<&RTCPeerConnection::GetStats>("getStats"),
          InstanceMethod<&RTCPeerConnection::TransportInfo>("transportInfo"),
          InstanceMethod<&RTCPeerConnection::Close>("close"),
      });
}

RTCPeerConnection::RTCPeerConnection(const Napi::CallbackInfo& info)
    : Napi::ObjectWrap<RTCPeerConnection>(info) {
  Napi::Env env = info.Env();
  if (!info[0].IsObject() || !info[1].IsFunction()) {
    throw Napi::TypeError::New(env, "PeerConnection(configuration, onEvent)");
  }
  data_ = AddonData::Get(env);
  runtime_ = data_->AcquireRuntime();
  if (!runtime_) throw Napi::Error::New(env, "libwebrtc's PeerConnectionFactory failed");

  PCI::RTCConfiguration config;
  ReadConfiguration(info[0].As<Napi::Object>(), &config);

  core_ = std::make_shared<PeerConnectionCore>(
      env, info[1].As<Napi::Function>(), runtime_->signaling_thread(), runtime_->network_thread());
  webrtc::PeerConnectionDependencies dependencies(core_.get());
  dependencies.allocator = runtime_->networks()->CreatePortAllocator();
  auto result = runtime_->factory()->CreatePeerConnectionOrError(config, std::move(dependencies));
  if (!result.ok()) {
    core_->events.Detach();
    runtime_.reset();
    Napi::Error error = Napi::Error::New(env, result.error().message());
    error.Set("name", DomExceptionName(result.error().type()));
    throw error;
  }
  core_->pc = result.MoveValue();
  closed_ = false;
  data_->peer_connections.insert(this);
  // Registered after the event queue's thread-safe function, so at environment teardown it
  // runs first (hooks run in reverse order) and closes the connection while the queue and
  // libwebrtc are intact.
  napi_add_env_cleanup_hook(env, &RTCPeerConnection::OnEnvironmentCleanup, this);
}

RTCPeerConnection::~RTCPeerConnection() { CloseNow(); }

void RTCPeerConnection::OnEnvironmentCleanup(void* self) {
  auto* pc = static_cast<RTCPeerConnection*>(self);
  pc->data_->shutting_down = true;
  pc->CloseNow();
}

void RTCPeerConnection::CloseNow() {
  if (closed_) return;
  closed_ = true;
  // Nothing libwebrtc raises from here on reaches JS; lib/ already reports the closed states.
  core_->events.Detach();
  core_->StopWatchingTransports();
  core_->pc->Close();
  std::vector<std::shared_ptr<DataChannelCore>> channels;
  {
    std::lock_guard<std::mutex> lock(core_->channels_mutex);
    core_->channels_closed = true;
    channels.swap(core_->channels);
  }
  for (auto& channel : channels) channel->Detach();
  // No JS runs here (this may run from the finalizer); wrappers are only unwrapped.
  core_->DetachTransceivers();
  core_->pc = nullptr;  // the proxy destroys the PeerConnection on the signaling thread
  runtime_.reset();     // the last connection takes the threads and factory with it
  data_->peer_connections.erase(this);
  if (!data_->shutting_down) {
    napi_remove_env_cleanup_hook(Env(), &RTCPeerConnection::OnEnvironmentCleanup, this);
  }
}

bool RTCPeerConnection::CheckOpen(Napi::Env env) {
  if (!closed_) return true;
  Napi::Error error = Napi::Error::New(env, "The RTCPeerConnection is closed.");
  error.Set("name", "InvalidStateError");
  error.ThrowAsJavaScriptException();
  return false;
}

Napi::Value RTCPeerConnection::CreateOffer(const Napi::CallbackInfo& info) {
  if (!CheckOpen(info.Env())) return info.Env().Undefined();
  int op_id = info[0].ToNumber().Int32Value();
  auto observer = rtc::make_ref_counted<CreateSdpObserver>(core_, op_id);
  core_->pc->CreateOffer(observer.get(), ReadOfferAnswerOptions(info[1]));
  return info.Env().Undefined();
}

Napi::Value RTCPeerConnection::CreateAnswer(const Napi::CallbackInfo& info) {
  if (!CheckOpen(info.Env())) return info.Env().Undefined();
  int op_id = info[0].ToNumber().Int32Value();
  auto observer = rtc::make_ref_counted<CreateSdpObserver>(core_, op_id);
  core_->pc->CreateAnswer(observer.get(), ReadOfferAnswerOptions(info[1]));
  return info.Env().Undefined();
}

namespace {
// Parses a SessionDescriptionRecord (peer/sdp_input.h, which fuzz/ drives too); on failure
// posts the operation's error and returns null.
std::unique_ptr<webrtc::SessionDescriptionInterface> ParseDescription(PeerConnectionCore* core,
                                                                      int op_id,
                                                                      const Napi::Object& record) {
  std::string type = GetString(record, "type");
  std::string sdp = GetString(record, "sdp");
  auto description = ParseSessionDescription(type, sdp);
  if (!description.ok()) {
    core->PostOperationDone(op_id, description.MoveError(), false);
    return nullptr;
  }
  return description.MoveValue();
}
}  // namespace

Napi::Value RTCPeerConnection::SetLocalDescription(const Napi::CallbackInfo& info) {
  if (!CheckOpen(info.Env())) return info.Env().Undefined();
  int op_id = info[0].ToNumber().Int32Value();
  auto observer = rtc::make_ref_counted<SetSdpObserver>(core_, op_id);
  if (!info[1].IsObject()) {
    core_->pc->SetLocalDescription(observer);
    return info.Env().Undefined();
  }
  auto description = ParseDescription(core_.get(), op_id, info[1].As<Napi::Object>());
  if (description) core_->pc->SetLocalDescription(std::move(description), observer);
  return info.Env().Undefined();
}

Napi::Value RTCPeerConnection::SetRemoteDescription(const Napi::CallbackInfo& info) {
  if (!CheckOpen(info.Env())) return info.Env().Undefined();
  int op_id = info[0].ToNumber().Int32Value();
  if (!info[1].IsObject()) throw Napi::TypeError::New(info.Env(), "description");
  auto description = ParseDescription(core_.get(), op_id, info[1].As<Napi::Object>());
  if (description) {
    core_->pc->SetRemoteDescription(std::move(description),
                                    rtc::make_ref_counted<SetSdpObserver>(core_, op_id));
  }
  return info.Env().Undefined();
}

Napi::Value RTCPeerConnection::AddIceCandidate(const Napi::CallbackInfo& info) {
  if (!CheckOpen(info.Env())) return info.Env().Undefined();
  int op_id = info[0].ToNumber().Int32Value();
  if (!info[1].IsObject()) throw Napi::TypeError::New(info.Env(), "candidate");
  Napi::Object record = info[1].As<Napi::Object>();
  std::string mid = GetString(record, "sdpMid");
  int index = GetInt(record, "sdpMLineIndex", 0);
  std::string line = GetString(record, "candidate");
  auto candidate = ParseIceCandidate(mid, index, line);  // peer/sdp_input.h
  if (!candidate.ok()) {
    core_->PostOperationDone(op_id, candidate.MoveError(), false);
    return info.Env().Undefined();
  }
  std::shared_ptr<PeerConnectionCore> core = core_;
  core_->pc->AddIceCandidate(candidate.MoveValue(), [core, op_id](webrtc::RTCError error) {
    // Signaling thread. libwebrtc words its refusals as INVALID_STATE/INVALID_PARAMETER; the
    // spec rejects every failure to add a candidate with OperationError.
    if (!error.ok()) {
      error = webrtc::RTCError(webrtc::RTCErrorType::OPERATION_ERROR_WITH_DATA,
                               std::string("Error processing ICE candidate: ") + error.message());
    }
    core->PostOperationDone(op_id, std::move(error), true);
  });
  return info.Env().Undefined();
}

Napi::Value RTCPeerConnection::RestartIce(const Napi::CallbackInfo& info) {
  if (!closed_) core_->pc->RestartIce();
  return info.Env().Undefined();
}

Napi::Value RTCPeerConnection::SetConfiguration(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!CheckOpen(env)) return env.Undefined();
  if (!info[0].IsObject()) throw Napi::TypeError::New(env, "configuration");
  PCI::RTCConfiguration config = core_->pc->GetConfiguration();
  ReadConfiguration(info[0].As<Napi::Object>(), &config);
  webrtc::RTCError error = core_->pc->SetConfiguration(config);
  if (error.ok()) return env.Null();
  return ErrorRecord(env, error);
}

Napi::Value RTCPeerConnection::ShouldFireNegotiationNeeded(const Napi::CallbackInfo& info) {
  if (closed_) return Napi::Boolean::New(info.Env(), false);
  uint32_t event_id = info[0].ToNumber().Uint32Value();
  return Napi::Boolean::New(info.Env(), core_->pc->ShouldFireNegotiationNeededEvent(event_id));
}

Napi::Value RTCPeerConnection::CreateDataChannel(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!CheckOpen(env)) return env.Undefined();
  if (!info[0].IsString() || !info[1].IsObject()) {
    throw Napi::TypeError::New(env, "createDataChannel(label, init)");
  }
  Napi::Object record = info[1].As<Napi::Object>();
  webrtc::DataChannelInit init;
  init.ordered = GetBool(record, "ordered");
  int max_life = GetInt(record, "maxPacketLifeTime", -1);
  if (max_life >= 0) init.maxRetransmitTime = max_life;
  int max_retransmits = GetInt(record, "maxRetransmits", -1);
  if (max_retransmits >= 0) init.maxRetransmits = max_retransmits;
  init.protocol = GetString(record, "protocol");
  init.negotiated = GetBool(record, "negotiated");
  init.id = GetInt(record, "id", -1);
  std::string priority = GetString(record, "priority");
  init.priority = priority == "very-low" ? webrtc::Priority::kVeryLow
                  : priority == "medium" ? webrtc::Priority::kMedium
                  : priority == "high"   ? webrtc::Priority::kHigh
                                         : webrtc::Priority::kLow;
  auto result = core_->pc->CreateDataChannelOrError(info[0].As<Napi::String>().Utf8Value(), &init);
  if (!result.ok()) return ErrorRecord(env, result.error());
  auto channel = std::make_shared<DataChannelCore>(core_, result.MoveValue(),
                                                   core_->next_channel_handle.fetch_add(1));
  core_->AddChannel(channel);
  return RTCDataChannel::Wrap(env, channel);
}

Napi::Value RTCPeerConnection::TransportInfo(const Napi::CallbackInfo& info) {
  if (closed_) return info.Env().Null();
  return core_->dtls_transports.Info(info.Env(), info[0].ToNumber().Int32Value());
}

Napi::Value RTCPeerConnection::Close(const Napi::CallbackInfo& info) {
  CloseNow();
  return info.Env().Undefined();
}

}  // namespace lwn
