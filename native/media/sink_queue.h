// The queue from a media sink on a libwebrtc thread to its JS callback, bounded: when JS falls
// behind, the oldest item is dropped (and counted) to make room, so memory never grows with a
// slow consumer. A producer never waits for the JS thread; at most one wake-up is pending, and
// the JS thread takes everything queued when it runs. Its thread-safe function does not keep
// the event loop alive: a sink alone never keeps a process running.
#ifndef LWN_MEDIA_SINK_QUEUE_H_
#define LWN_MEDIA_SINK_QUEUE_H_

#include <deque>
#include <functional>
#include <memory>
#include <mutex>

#include "runtime/common.h"

namespace lwn {

template <typename Item>
class SinkQueue : public std::enable_shared_from_this<SinkQueue<Item>> {
 public:
  using Build = std::function<Napi::Value(Napi::Env, Item&)>;

  // JS thread.
  static std::shared_ptr<SinkQueue> Make(Napi::Env env, Napi::Function handler, const char* name,
                                         size_t capacity, Build build) {
    std::shared_ptr<SinkQueue> queue(new SinkQueue(capacity, std::move(build)));
    queue->tsfn_ = Napi::ThreadSafeFunction::New(env, handler, name, 0, 1);
    queue->tsfn_.Unref(env);
    return queue;
  }

  // Any thread.
  void Push(Item item) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (closed_) return;
    if (items_.size() >= capacity_) {
      items_.pop_front();
      ++dropped_;
    }
    items_.push_back(std::move(item));
    if (wake_pending_) return;
    wake_pending_ = true;
    auto self = this->shared_from_this();
    napi_status status = tsfn_.NonBlockingCall(
        [self](Napi::Env env, Napi::Function handler) { self->Drain(env, handler); });
    if (status != napi_ok) wake_pending_ = false;
  }

  // JS thread: nothing more is delivered; what is queued is dropped.
  void Close() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (closed_) return;
      closed_ = true;
      items_.clear();
    }
    tsfn_.Release();
  }

  uint64_t dropped() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return dropped_;
  }

 private:
  SinkQueue(size_t capacity, Build build) : capacity_(capacity), build_(std::move(build)) {}

  // JS thread (or none, when the environment is going away: env is then null).
  void Drain(Napi::Env env, Napi::Function handler) {
    std::deque<Item> items;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      wake_pending_ = false;
      if (closed_) return;
      items.swap(items_);
    }
    if (env == nullptr || handler.IsEmpty()) return;
    Napi::HandleScope scope(env);
    for (Item& item : items) {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        if (closed_) return;  // the handler stopped the sink
      }
      // No node-addon-api call that throws here: see DeliverToJs (runtime/common.h).
      if (!CanRunJs(env)) return;
      napi_value value = BuildForJs(env, [&](Napi::Env e) { return build_(e, item); });
      if (value == nullptr) return;
      DeliverToJs(env, handler, {value});
    }
  }

  const size_t capacity_;
  const Build build_;
  mutable std::mutex mutex_;
  std::deque<Item> items_;     // guarded by mutex_
  uint64_t dropped_ = 0;       // guarded by mutex_
  bool wake_pending_ = false;  // guarded by mutex_
  bool closed_ = false;        // guarded by mutex_
  Napi::ThreadSafeFunction tsfn_;
};

}  // namespace lwn

#endif  // LWN_MEDIA_SINK_QUEUE_H_
