#include "peer/rtc_dtls_transport.h"

#include <set>
#include <string.h>

#include "api/jsep_ice_candidate.h"
#include "p2p/base/connection.h"
#include "p2p/base/ice_transport_internal.h"
#include "rtc_base/ssl_certificate.h"
#include "rtc_base/third_party/sigslot/sigslot.h"

namespace lwn {

namespace {
// Network thread: the ICE transport under a DTLS transport (libwebrtc's internal object).
cricket::IceTransportInternal* IceOf(webrtc::DtlsTransportInterface* transport) {
  rtc::scoped_refptr<webrtc::IceTransportInterface> ice = transport->ice_transport();
  return ice ? ice->internal() : nullptr;
}
}  // namespace

const char* ToString(webrtc::DtlsTransportState state) {
  switch (state) {
    case webrtc::DtlsTransportState::kNew:
    case webrtc::DtlsTransportState::kNumValues:
      break;
    case webrtc::DtlsTransportState::kConnecting:
      return "connecting";
    case webrtc::DtlsTransportState::kConnected:
      return "connected";
    case webrtc::DtlsTransportState::kClosed:
      return "closed";
    case webrtc::DtlsTransportState::kFailed:
      return "failed";
  }
  return "new";
}

// libwebrtc calls it on the network thread, while registered: the DTLS transport's state, and
// the selected candidate pair of its ICE transport.
class DtlsTransportRegistry::Watcher : public webrtc::DtlsTransportObserverInterface,
                                       public sigslot::has_slots<> {
 public:
  Watcher(EventQueue* events, int handle) : events_(events), handle_(handle) {}
  void OnCandidatePairChanged(const cricket::CandidatePairChangeEvent&) {
    int handle = handle_;
    events_->Post([&] {
      return [handle](Napi::Env env) -> Napi::Value {
        Napi::Object o = Napi::Object::New(env);
        o.Set("type", "selectedcandidatepairchange");
        o.Set("handle", handle);
        return o;
      };
    });
  }
  void OnStateChange(webrtc::DtlsTransportInformation info) override {
    const char* state = ToString(info.state());
    int handle = handle_;
    events_->Post([&] {
      return [handle, state](Napi::Env env) -> Napi::Value {
        Napi::Object o = Napi::Object::New(env);
        o.Set("type", "dtlsstatechange");
        o.Set("handle", handle);
        o.Set("state", state);
        return o;
      };
    });
  }
  void OnError(webrtc::RTCError error) override {}

 private:
  EventQueue* const events_;
  const int handle_;
};

DtlsTransportRegistry::DtlsTransportRegistry(EventQueue* events, rtc::Thread* network_thread)
    : events_(events), network_thread_(network_thread) {}

DtlsTransportRegistry::~DtlsTransportRegistry() = default;

int DtlsTransportRegistry::Handle(
    const rtc::scoped_refptr<webrtc::DtlsTransportInterface>& transport,
    std::shared_ptr<void> keep_alive) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& entry : entries_) {
    if (entry->transport == transport) return entry->handle;
  }
  int handle = next_handle_++;
  if (stopped_) return handle;
  auto entry = std::make_unique<Entry>();
  entry->handle = handle;
  entry->transport = transport;
  entry->watcher = std::make_unique<Watcher>(events_, handle);
  Entry* raw = entry.get();  // owned by entries_ until Stop_n(), which runs after this task
  entries_.push_back(std::move(entry));
  network_thread_->PostTask([this, raw, keep_alive = std::move(keep_alive)] { Watch_n(raw); });
  return handle;
}

void DtlsTransportRegistry::Watch_n(Entry* entry) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopped_) return;
  }
  entry->transport->RegisterObserver(entry->watcher.get());
  if (cricket::IceTransportInternal* ice = IceOf(entry->transport.get())) {
    ice->SignalCandidatePairChanged.connect(entry->watcher.get(), &Watcher::OnCandidatePairChanged);
  }
  // Report where it is now: it may have moved on before the observer was attached.
  entry->watcher->OnStateChange(entry->transport->Information());
}

std::vector<DtlsTransportRegistry::State> DtlsTransportRegistry::States() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<State> states;
  states.reserve(entries_.size());
  for (auto& entry : entries_) {
    states.push_back({entry->handle, ToString(entry->transport->Information().state())});
  }
  return states;
}

void DtlsTransportRegistry::Stop_n() {
  std::vector<std::unique_ptr<Entry>> entries;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopped_ = true;
    entries.swap(entries_);
  }
  for (auto& entry : entries) {
    entry->transport->UnregisterObserver();
    if (cricket::IceTransportInternal* ice = IceOf(entry->transport.get())) {
      ice->SignalCandidatePairChanged.disconnect(entry->watcher.get());
    }
  }
}

namespace {
struct IceInfo {
  std::string mid;
  std::vector<std::string> local, remote;
  std::string selected_local, selected_remote;
  std::vector<std::vector<uint8_t>> certificates;
};

std::string CandidateLine(const std::string& mid, const cricket::Candidate& candidate) {
  std::string line;
  webrtc::JsepIceCandidate(mid, 0, candidate).ToString(&line);
  return line;
}
}  // namespace

Napi::Value DtlsTransportRegistry::Info(Napi::Env env, int handle) {
  rtc::scoped_refptr<webrtc::DtlsTransportInterface> transport;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& entry : entries_) {
      if (entry->handle == handle) transport = entry->transport;
    }
  }
  if (!transport) return env.Null();
  IceInfo info = network_thread_->BlockingCall([&] {
    IceInfo out;
    webrtc::DtlsTransportInformation dtls = transport->Information();
    if (const rtc::SSLCertChain* chain = dtls.remote_ssl_certificates()) {
      for (size_t i = 0; i < chain->GetSize(); ++i) {
        rtc::Buffer der;
        chain->Get(i).ToDER(&der);
        out.certificates.emplace_back(der.data(), der.data() + der.size());
      }
    }
    cricket::IceTransportInternal* ice = IceOf(transport.get());
    if (!ice) return out;
    out.mid = ice->transport_name();
    cricket::IceTransportStats stats;
    if (ice->GetStats(&stats)) {
      for (const auto& candidate : stats.candidate_stats_list) {
        out.local.push_back(CandidateLine(out.mid, candidate.candidate()));
      }
      std::set<std::string> seen;
      for (const auto& connection : stats.connection_infos) {
        std::string line = CandidateLine(out.mid, connection.remote_candidate);
        if (seen.insert(line).second) out.remote.push_back(line);
      }
    }
    if (absl::optional<const cricket::CandidatePair> pair = ice->GetSelectedCandidatePair()) {
      out.selected_local = CandidateLine(out.mid, pair->local_candidate());
      out.selected_remote = CandidateLine(out.mid, pair->remote_candidate());
    }
    return out;
  });
  Napi::Object o = Napi::Object::New(env);
  Napi::Array certificates = Napi::Array::New(env, info.certificates.size());
  for (uint32_t i = 0; i < info.certificates.size(); ++i) {
    Napi::ArrayBuffer der = Napi::ArrayBuffer::New(env, info.certificates[i].size());
    if (!info.certificates[i].empty()) {
      memcpy(der.Data(), info.certificates[i].data(), info.certificates[i].size());
    }
    certificates.Set(i, der);
  }
  o.Set("remoteCertificates", certificates);
  o.Set("mid", info.mid);
  auto strings = [&](const std::vector<std::string>& list) {
    Napi::Array array = Napi::Array::New(env, list.size());
    for (uint32_t i = 0; i < list.size(); ++i) array.Set(i, list[i]);
    return array;
  };
  o.Set("localCandidates", strings(info.local));
  o.Set("remoteCandidates", strings(info.remote));
  if (info.selected_local.empty()) {
    o.Set("selectedPair", env.Null());
  } else {
    Napi::Object pair = Napi::Object::New(env);
    pair.Set("local", info.selected_local);
    pair.Set("remote", info.selected_remote);
    o.Set("selectedPair", pair);
  }
  return o;
}

Napi::Value ToJs(Napi::Env env, const std::vector<DtlsTransportRegistry::State>& states) {
  Napi::Array list = Napi::Array::New(env, states.size());
  for (uint32_t i = 0; i < states.size(); ++i) {
    Napi::Object o = Napi::Object::New(env);
    o.Set("handle", states[i].handle);
    o.Set("state", states[i].state);
    list.Set(i, o);
  }
  return list;
}

}  // namespace lwn
