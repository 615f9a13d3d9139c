// RTCDataChannel's native half.
#ifndef LWN_RTC_DATA_CHANNEL_H_
#define LWN_RTC_DATA_CHANNEL_H_

#include <deque>

#include "runtime/common.h"

namespace lwn {

class PeerConnectionCore;

// One libwebrtc data channel, its observer and its send queue. Made on the JS thread
// (createDataChannel) or on the signaling thread (a channel the remote side opened), so the
// observer is registered before libwebrtc can report anything about it. Detach() — on the JS
// thread, when the connection closes — unregisters it and drops the channel while libwebrtc's
// threads still run.
//
// Sending does not wait for the signaling thread (a blocking proxy call per message would cap
// the message rate at one thread round trip each): the JS thread appends to a queue and, when
// the queue was empty, posts one task that hands everything queued to libwebrtc in order.
// bufferedAmount is what sits in that queue plus what libwebrtc has buffered, both kept in
// atomics so reading it costs no thread hop either.
class DataChannelCore : public webrtc::DataChannelObserver,
                        public std::enable_shared_from_this<DataChannelCore> {
 public:
  DataChannelCore(std::shared_ptr<PeerConnectionCore> connection,
                  rtc::scoped_refptr<webrtc::DataChannelInterface> channel, int handle);
  ~DataChannelCore() override;

  const int handle;
  // The JS thread reads it; null once detached.
  rtc::scoped_refptr<webrtc::DataChannelInterface> channel;

  // JS thread.
  // `arm_low`: lib/ saw bufferedAmount above the threshold after this send, so a
  // bufferedamountlow is owed once libwebrtc's side is back at or below it.
  void Send(rtc::CopyOnWriteBuffer data, bool binary, bool arm_low);
  void Close();
  uint64_t BufferedAmount() const { return queued_bytes_ + sctp_buffered_; }
  // `arm_low`: bufferedAmount is above the new threshold, so an event is owed when it falls.
  void SetLowThreshold(uint64_t threshold, bool arm_low);
  void Detach();

  // webrtc::DataChannelObserver (signaling thread).
  void OnStateChange() override;
  void OnMessage(const webrtc::DataBuffer& buffer) override;
  void OnBufferedAmountChange(uint64_t sent_data_size) override;

 private:
  struct Outgoing {
    webrtc::DataBuffer buffer;
    bool close = false;  // a close() queued behind the messages sent before it
  };
  void Enqueue(Outgoing item);
  void Drain_s();
  // Fires bufferedamountlow when one is owed (armed) and bufferedAmount is at or below the
  // threshold. Armed by the JS thread, which sees bufferedAmount rise (the signaling thread
  // may drain as fast as JS sends and never see it above the threshold itself).
  void CheckLow_s();

  std::shared_ptr<PeerConnectionCore> connection_;
  bool registered_ = false;

  std::mutex send_mutex_;
  std::deque<Outgoing> send_queue_;  // guarded by send_mutex_
  bool drain_posted_ = false;        // guarded by send_mutex_
  bool detached_ = false;            // guarded by send_mutex_
  std::atomic<uint64_t> queued_bytes_{0};
  std::atomic<uint64_t> sctp_buffered_{0};
  std::atomic<uint64_t> low_threshold_{0};
  std::atomic<bool> low_armed_{false};
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
