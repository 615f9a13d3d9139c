#include "peer/rtc_data_channel.h"

#include "peer/rtc_peer_connection.h"

namespace lwn {

namespace {
const char* ToString(webrtc::DataChannelInterface::DataState state) {
  switch (state) {
    case webrtc::DataChannelInterface::kConnecting:
      return "connecting";
    case webrtc::DataChannelInterface::kOpen:
      return "open";
    case webrtc::DataChannelInterface::kClosing:
      return "closing";
    case webrtc::DataChannelInterface::kClosed:
      break;
  }
  return "closed";
}

const char* ToString(webrtc::Priority priority) {
  switch (priority) {
    case webrtc::Priority::kVeryLow:
      return "very-low";
    case webrtc::Priority::kLow:
      break;
    case webrtc::Priority::kMedium:
      return "medium";
    case webrtc::Priority::kHigh:
      return "high";
  }
  return "low";
}
}  // namespace

DataChannelCore::DataChannelCore(std::shared_ptr<PeerConnectionCore> connection,
                                 rtc::scoped_refptr<webrtc::DataChannelInterface> channel,
                                 int handle)
    : handle(handle), channel(std::move(channel)), connection_(std::move(connection)) {
  this->channel->RegisterObserver(this);
  registered_ = true;
  // libwebrtc may have opened (or closed) the channel before we were registered — a channel
  // created on a connected SCTP transport opens in a task queued behind its creation — and it
  // reports a state change only once. Report where it is now; lib/ ignores a repeat.
  if (this->channel->state() != webrtc::DataChannelInterface::kConnecting) OnStateChange();
}

DataChannelCore::~DataChannelCore() { Detach(); }

void DataChannelCore::Detach() {
  {
    std::lock_guard<std::mutex> lock(send_mutex_);
    detached_ = true;
    send_queue_.clear();
  }
  if (!channel) return;
  // Through the proxy: runs on the signaling thread, after any drain already running there.
  if (registered_) channel->UnregisterObserver();
  registered_ = false;
  channel = nullptr;
}

void DataChannelCore::Send(rtc::CopyOnWriteBuffer data, bool binary, bool arm_low) {
  queued_bytes_ += data.size();
  // Before the message is queued: the drain that sends it then sees the flag.
  if (arm_low) low_armed_ = true;
  Enqueue({webrtc::DataBuffer(std::move(data), binary), false});
}

void DataChannelCore::SetLowThreshold(uint64_t threshold, bool arm_low) {
  low_threshold_ = threshold;
  if (!arm_low) return;
  low_armed_ = true;
  // libwebrtc may have nothing left to report: check once on the signaling thread.
  std::lock_guard<std::mutex> lock(send_mutex_);
  if (detached_) return;
  connection_->signaling_thread->PostTask([self = shared_from_this()] { self->CheckLow_s(); });
}

void DataChannelCore::Close() { Enqueue({webrtc::DataBuffer(""), true}); }

void DataChannelCore::Enqueue(Outgoing item) {
  std::lock_guard<std::mutex> lock(send_mutex_);
  if (detached_) return;
  send_queue_.push_back(std::move(item));
  if (drain_posted_) return;
  drain_posted_ = true;
  connection_->signaling_thread->PostTask([self = shared_from_this()] { self->Drain_s(); });
}

void DataChannelCore::Drain_s() {
  std::deque<Outgoing> items;
  rtc::scoped_refptr<webrtc::DataChannelInterface> target;
  {
    std::lock_guard<std::mutex> lock(send_mutex_);
    drain_posted_ = false;
    if (detached_) return;
    items.swap(send_queue_);
    target = channel;  // our own reference: Detach() may reset the member meanwhile
  }
  for (Outgoing& item : items) {
    if (item.close) {
      target->Close();
      continue;
    }
    size_t size = item.buffer.size();
    // On failure (libwebrtc's buffer full, or the channel no longer open) libwebrtc closes the
    // channel itself and reports it through OnStateChange.
    target->Send(item.buffer);
    queued_bytes_ -= size;
  }
  sctp_buffered_ = target->buffered_amount();
  CheckLow_s();
}

void DataChannelCore::CheckLow_s() {
  if (!low_armed_.load() || BufferedAmount() > low_threshold_.load()) return;
  if (!low_armed_.exchange(false)) return;
  int handle = this->handle;
  connection_->events.Post([&] {
    return [handle](Napi::Env env) -> Napi::Value {
      Napi::Object o = Napi::Object::New(env);
      o.Set("type", "bufferedamountlow");
      o.Set("handle", handle);
      return o;
    };
  });
}

void DataChannelCore::OnStateChange() {
  // Signaling thread (and once from the constructor, on whichever thread made us); `channel`
  // is not reset while we are registered.
  webrtc::DataChannelInterface::DataState state = channel->state();
  int id = channel->id();
  webrtc::RTCError error =
      state == webrtc::DataChannelInterface::kClosed ? channel->error() : webrtc::RTCError::OK();
  int handle = this->handle;
  connection_->events.Post([&] {
    auto shared_error = std::make_shared<webrtc::RTCError>(std::move(error));
    const char* state_name = ToString(state);
    return [handle, state_name, id, shared_error](Napi::Env env) -> Napi::Value {
      Napi::Object o = Napi::Object::New(env);
      o.Set("type", "channelstate");
      o.Set("handle", handle);
      o.Set("state", state_name);
      o.Set("id", id >= 0 ? Napi::Value(Napi::Number::New(env, id)) : env.Null());
      o.Set("error",
            shared_error->ok() ? env.Null() : Napi::Value(ErrorRecord(env, *shared_error)));
      return o;
    };
  });
}

void DataChannelCore::OnMessage(const webrtc::DataBuffer& buffer) {
  int handle = this->handle;
  bool binary = buffer.binary;
  connection_->events.Post([&] {
    // The buffer is copy-on-write and refcounted: sharing it costs no copy here.
    rtc::CopyOnWriteBuffer data = buffer.data;
    return [handle, binary, data](Napi::Env env) -> Napi::Value {
      Napi::Object o = Napi::Object::New(env);
      o.Set("type", "message");
      o.Set("handle", handle);
      if (binary) {
        Napi::ArrayBuffer bytes = Napi::ArrayBuffer::New(env, data.size());
        if (data.size()) memcpy(bytes.Data(), data.cdata(), data.size());
        o.Set("data", bytes);
      } else {
        o.Set("data", Napi::String::New(env, data.cdata<char>(), data.size()));
      }
      return o;
    };
  });
}

void DataChannelCore::OnBufferedAmountChange(uint64_t sent_data_size) {
  sctp_buffered_ = channel->buffered_amount();
  CheckLow_s();
}

// ---------------------------------------------------------------------------------------------

Napi::Function RTCDataChannel::Init(Napi::Env env) {
  return DefineClass(env, "DataChannel",
                     {
                         InstanceAccessor<&RTCDataChannel::Handle>("handle"),
                         InstanceMethod<&RTCDataChannel::Info>("info"),
                         InstanceMethod<&RTCDataChannel::Send>("send"),
                         InstanceMethod<&RTCDataChannel::BufferedAmount>("bufferedAmount"),
                         InstanceMethod<&RTCDataChannel::SetBufferedAmountLowThreshold>(
                             "setBufferedAmountLowThreshold"),
                         InstanceMethod<&RTCDataChannel::Close>("close"),
                     });
}

Napi::Object RTCDataChannel::Wrap(Napi::Env env, std::shared_ptr<DataChannelCore> core) {
  auto* holder = new std::shared_ptr<DataChannelCore>(std::move(core));
  return AddonData::Get(env)->data_channel_ctor.New(
      {Napi::External<std::shared_ptr<DataChannelCore>>::New(env, holder)});
}

RTCDataChannel::RTCDataChannel(const Napi::CallbackInfo& info)
    : Napi::ObjectWrap<RTCDataChannel>(info) {
  if (!info[0].IsExternal()) {
    throw Napi::TypeError::New(info.Env(), "DataChannel is made by PeerConnection");
  }
  auto* holder = info[0].As<Napi::External<std::shared_ptr<DataChannelCore>>>().Data();
  core_ = std::move(*holder);
  delete holder;
}

Napi::Value RTCDataChannel::Handle(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), core_->handle);
}

Napi::Value RTCDataChannel::Info(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
  auto& channel = core_->channel;
  if (!channel) {
    o.Set("state", "closed");
    return o;
  }
  o.Set("label", channel->label());
  o.Set("ordered", channel->ordered());
  absl::optional<int> life = channel->maxPacketLifeTime();
  o.Set("maxPacketLifeTime", life ? Napi::Value(Napi::Number::New(env, *life)) : env.Null());
  absl::optional<int> retransmits = channel->maxRetransmitsOpt();
  o.Set("maxRetransmits",
        retransmits ? Napi::Value(Napi::Number::New(env, *retransmits)) : env.Null());
  o.Set("protocol", channel->protocol());
  o.Set("negotiated", channel->negotiated());
  int id = channel->id();
  o.Set("id", id >= 0 ? Napi::Value(Napi::Number::New(env, id)) : env.Null());
  o.Set("priority", ToString(channel->priority()));
  o.Set("state", ToString(channel->state()));
  return o;
}

Napi::Value RTCDataChannel::Send(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!core_->channel) return Napi::Boolean::New(env, false);
  bool binary = info[1].ToBoolean().Value();
  rtc::CopyOnWriteBuffer bytes;
  if (info[0].IsString()) {
    std::string text = info[0].As<Napi::String>().Utf8Value();
    bytes.SetData(text.data(), text.size());
  } else if (info[0].IsTypedArray()) {
    Napi::TypedArray view = info[0].As<Napi::TypedArray>();
    const uint8_t* base = static_cast<const uint8_t*>(view.ArrayBuffer().Data());
    bytes.SetData(base + view.ByteOffset(), view.ByteLength());
  } else if (info[0].IsDataView()) {
    Napi::DataView view = info[0].As<Napi::DataView>();
    const uint8_t* base = static_cast<const uint8_t*>(view.ArrayBuffer().Data());
    bytes.SetData(base + view.ByteOffset(), view.ByteLength());
  } else if (info[0].IsArrayBuffer()) {
    Napi::ArrayBuffer buffer = info[0].As<Napi::ArrayBuffer>();
    bytes.SetData(static_cast<const uint8_t*>(buffer.Data()), buffer.ByteLength());
  } else {
    throw Napi::TypeError::New(env, "send(data, binary)");
  }
  core_->Send(std::move(bytes), binary, info[2].ToBoolean().Value());
  return Napi::Boolean::New(env, true);
}

Napi::Value RTCDataChannel::BufferedAmount(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(core_->BufferedAmount()));
}

Napi::Value RTCDataChannel::SetBufferedAmountLowThreshold(const Napi::CallbackInfo& info) {
  core_->SetLowThreshold(static_cast<uint64_t>(info[0].ToNumber().DoubleValue()),
                         info[1].ToBoolean().Value());
  return info.Env().Undefined();
}

Napi::Value RTCDataChannel::Close(const Napi::CallbackInfo& info) {
  core_->Close();
  return info.Env().Undefined();
}

}  // namespace lwn
