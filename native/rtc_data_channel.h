// RTCDataChannel's native half.
#ifndef LWN_RTC_DATA_CHANNEL_H_
#define LWN_RTC_DATA_CHANNEL_H_

#include "common.h"

namespace lwn {

class PeerConnectionCore;

// One libwebrtc data channel and its observer. Made on the JS thread (createDataChannel) or on
// the signaling thread (a channel the remote side opened), so the observer is registered
// before libwebrtc can report anything about it. Detach() — on the JS thread, when the
// connection closes — unregisters it and drops the channel while libwebrtc's threads still run.
class DataChannelCore : public webrtc::DataChannelObserver {
 public:
  DataChannelCore(std::shared_ptr<PeerConnectionCore> connection,
                  rtc::scoped_refptr<webrtc::DataChannelInterface> channel, int handle);
  ~DataChannelCore() override;

  const int handle;
  // The JS thread reads it; null once detached.
  rtc::scoped_refptr<webrtc::DataChannelInterface> channel;
  std::atomic<uint64_t> low_threshold{0};

  void Detach();

  // webrtc::DataChannelObserver (signaling thread).
  void OnStateChange() override;
  void OnMessage(const webrtc::DataBuffer& buffer) override;
  void OnBufferedAmountChange(uint64_t sent_data_size) override;

 private:
  std::shared_ptr<PeerConnectionCore> connection_;
  bool registered_ = false;
};

class RTCDataChannel : public Napi::ObjectWrap<RTCDataChannel> {
 public:
  static Napi::Function Init(Napi::Env env);
  // JS thread: the wrapper for `core`.
  static Napi::Object Wrap(Napi::Env env, std::shared_ptr<DataChannelCore> core);
  explicit RTCDataChannel(const Napi::CallbackInfo& info);

 private:
  Napi::Value Handle(const Napi::CallbackInfo& info);
  Napi::Value Info(const Napi::CallbackInfo& info);
  Napi::Value Send(const Napi::CallbackInfo& info);
  Napi::Value BufferedAmount(const Napi::CallbackInfo& info);
  Napi::Value SetBufferedAmountLowThreshold(const Napi::CallbackInfo& info);
  Napi::Value Close(const Napi::CallbackInfo& info);

  std::shared_ptr<DataChannelCore> core_;
};

}  // namespace lwn

#endif  // LWN_RTC_DATA_CHANNEL_H_
