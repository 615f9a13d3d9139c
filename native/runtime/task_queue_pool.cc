#include "runtime/task_queue_pool.h"

#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <map>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/strings/string_view.h"
#include "api/task_queue/task_queue_base.h"
#include "api/units/time_delta.h"

namespace lwn {
namespace {

using Clock = std::chrono::steady_clock;
using Task = absl::AnyInvocable<void() &&>;

// The queues whose work is light and short: a pacer's packet bursts and the congestion
// controller's feedback processing, both a few microseconds per task.
bool IsPooled(absl::string_view name) {
  return name == "TaskQueuePacedSender" || name == "rtp_send_controller";
}

class PooledQueue;

// One pool thread: runs the tasks of the queues assigned to it, due delayed tasks first, then
// the others in the order they were posted.
class PoolThread {
 public:
  explicit PoolThread(size_t index) : thread_([this, index] { Run(index); }) {}

  // Every queue on this thread has been deleted (libwebrtc's factory outlives its queues).
  ~PoolThread() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    wake_.notify_one();
    thread_.join();
  }

  PoolThread(const PoolThread&) = delete;
  PoolThread& operator=(const PoolThread&) = delete;

  void Post(PooledQueue* queue, Task task, webrtc::TimeDelta delay);
  // TaskQueueBase::Delete's guarantee: on return no task of `queue` runs or will start. Its
  // pending tasks are destroyed here, outside the lock (a task's destructor may post).
  void Remove(PooledQueue* queue);

  std::atomic<size_t> queues{0};

 private:
  void Run(size_t index);

  struct Entry {
    PooledQueue* queue;
    Task task;
  };
  std::mutex mutex_;
  std::condition_variable wake_;  // work was posted, or stop
  std::condition_variable idle_;  // a task has ended
  std::deque<Entry> ready_;
  // Delayed tasks by due time; the sequence number keeps equal times in posting order.
  std::map<std::pair<Clock::time_point, uint64_t>, Entry> delayed_;
  uint64_t sequence_ = 0;
  PooledQueue* running_ = nullptr;
  bool stop_ = false;
  std::thread thread_;  // last: starts once the rest is built
};

class PooledQueue final : public webrtc::TaskQueueBase {
 public:
  explicit PooledQueue(PoolThread* thread) : thread_(thread) { thread_->queues++; }

  void Delete() override {
    thread_->Remove(this);
    thread_->queues--;
    delete this;
  }

  void PostTask(Task task) override {
    thread_->Post(this, std::move(task), webrtc::TimeDelta::Zero());
  }

  void PostDelayedTask(Task task, webrtc::TimeDelta delay) override {
    thread_->Post(this, std::move(task), delay);
  }

  void PostDelayedHighPrecisionTask(Task task, webrtc::TimeDelta delay) override {
    thread_->Post(this, std::move(task), delay);
  }

  // Pool thread, with PoolThread's running_ set to this queue. The task is destroyed while
  // the queue is still current, as on libwebrtc's own queues.
  void Run(Task task) {
    CurrentTaskQueueSetter current(this);
    std::move(task)();
    task = nullptr;
  }

  bool deleted = false;  // PoolThread's mutex

 private:
  ~PooledQueue() override = default;
  PoolThread* const thread_;
};

void PoolThread::Post(PooledQueue* queue, Task task, webrtc::TimeDelta delay) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (queue->deleted) {
      // A post racing Delete() from another thread: dropped, as libwebrtc's queues do.
    } else if (delay <= webrtc::TimeDelta::Zero()) {
      ready_.push_back({queue, std::move(task)});
    } else {
      Clock::time_point due = Clock::now() + std::chrono::microseconds(delay.us());
      delayed_.emplace(std::make_pair(due, sequence_++), Entry{queue, std::move(task)});
    }
  }
  // (A dropped task is destroyed here, outside the lock.)
  wake_.notify_one();
}

void PoolThread::Remove(PooledQueue* queue) {
  std::vector<Task> doomed;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    queue->deleted = true;
    // From another queue's task on this very thread, `queue` cannot be running.
    if (std::this_thread::get_id() != thread_.get_id()) {
      idle_.wait(lock, [&] { return running_ != queue; });
    }
    // The queue's pending tasks, immediate and delayed, out of both lists.
    auto take = [&](auto& entries, auto entry_of) {
      for (auto it = entries.begin(); it != entries.end();) {
        Entry& entry = entry_of(*it);
        if (entry.queue != queue) {
          ++it;
          continue;
        }
        doomed.push_back(std::move(entry.task));
        it = entries.erase(it);
      }
    };
    take(ready_, [](Entry& entry) -> Entry& { return entry; });
    take(delayed_, [](auto& due_and_entry) -> Entry& { return due_and_entry.second; });
  }
}

void PoolThread::Run(size_t index) {
  char name[16];
  std::snprintf(name, sizeof(name), "lwn-pacer-%zu", index);
  pthread_setname_np(pthread_self(), name);
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    Entry entry{nullptr, nullptr};
    if (!delayed_.empty() && delayed_.begin()->first.first <= Clock::now()) {
      auto node = delayed_.extract(delayed_.begin());
      entry = std::move(node.mapped());
    } else if (!ready_.empty()) {
      entry = std::move(ready_.front());
      ready_.pop_front();
    } else if (stop_) {
      break;
    } else if (delayed_.empty()) {
      wake_.wait(lock);
      continue;
    } else {
      // A copy: wait_until reads its deadline again after waking, and the entry may be gone
      // by then (its queue deleted meanwhile).
      const Clock::time_point due = delayed_.begin()->first.first;
      wake_.wait_until(lock, due);
      continue;
    }
    running_ = entry.queue;
    lock.unlock();
    entry.queue->Run(std::move(entry.task));
    lock.lock();
    running_ = nullptr;
    idle_.notify_all();
  }
}

class PooledTaskQueueFactory final : public webrtc::TaskQueueFactory {
 public:
  PooledTaskQueueFactory(size_t threads, std::unique_ptr<webrtc::TaskQueueFactory> fallback)
      : fallback_(std::move(fallback)) {
    for (size_t i = 0; i < threads; i++) threads_.push_back(std::make_unique<PoolThread>(i));
  }

  std::unique_ptr<webrtc::TaskQueueBase, webrtc::TaskQueueDeleter> CreateTaskQueue(
      absl::string_view name, Priority priority) const override {
    if (!IsPooled(name) || threads_.empty()) return fallback_->CreateTaskQueue(name, priority);
    // The thread with the fewest queues: the connections spread evenly.
    PoolThread* least = threads_.front().get();
    for (const auto& thread : threads_) {
      if (thread->queues.load() < least->queues.load()) least = thread.get();
    }
    return std::unique_ptr<webrtc::TaskQueueBase, webrtc::TaskQueueDeleter>(new PooledQueue(least));
  }

 private:
  std::unique_ptr<webrtc::TaskQueueFactory> fallback_;
  std::vector<std::unique_ptr<PoolThread>> threads_;
};

}  // namespace

std::unique_ptr<webrtc::TaskQueueFactory> CreatePooledTaskQueueFactory(
    size_t threads, std::unique_ptr<webrtc::TaskQueueFactory> fallback) {
  return std::make_unique<PooledTaskQueueFactory>(threads, std::move(fallback));
}

}  // namespace lwn
