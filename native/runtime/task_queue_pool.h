// Task queues for libwebrtc that share a few threads instead of one thread each.
//
// libwebrtc makes two task queues per RTCPeerConnection, whatever it carries: the pacer
// ("TaskQueuePacedSender") and the send-side congestion controller ("rtp_send_controller").
// Its default factory gives each queue a thread of its own, so a server with 1,000 connected
// pairs ran 4,000 threads that sleep nearly all the time — each with its stack, its kernel task
// and its share of the allocator. The queues this factory pools run on a fixed set of threads
// per runtime instead; a queue stays on the thread it was given, so its tasks keep libwebrtc's
// guarantees: in order, never two at once, TaskQueueBase::Current() is the queue while they run.
// Queues that do heavy work (video and audio encoders, decoders, render) keep a thread each
// from libwebrtc's own factory, so one connection's encoder never holds up another's pacer.
#ifndef LWN_TASK_QUEUE_POOL_H_
#define LWN_TASK_QUEUE_POOL_H_

#include <cstddef>
#include <memory>

#include "api/task_queue/task_queue_factory.h"

namespace lwn {

// `threads` pool threads, started at once and joined when the factory is destroyed (after
// every queue it made: libwebrtc's factory outlives its calls). Queues with other names come
// from `fallback`.
std::unique_ptr<webrtc::TaskQueueFactory> CreatePooledTaskQueueFactory(
    size_t threads, std::unique_ptr<webrtc::TaskQueueFactory> fallback);

}  // namespace lwn

#endif  // LWN_TASK_QUEUE_POOL_H_
