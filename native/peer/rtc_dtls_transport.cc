#include "peer/rtc_dtls_transport.h"

namespace lwn {

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

// libwebrtc calls it on the network thread, while registered.
class DtlsTransportRegistry::Watcher : public webrtc::DtlsTransportObserverInterface {
 public:
  Watcher(EventQueue* events, int handle) : events_(events), handle_(handle) {}
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
  for (auto& entry : entries) entry->transport->UnregisterObserver();
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
