// Module entry: per-environment data, the exported classes and functions (binding.d.ts).
#include <openssl/crypto.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "runtime/codec_logging.h"
#include "runtime/common.h"
#include "runtime/fatal_checks.h"
#include "api/task_queue/task_queue_base.h"
#include "rtc_base/checks.h"
#include "rtc_base/logging.h"
#include "peer/rtc_certificate.h"
#include "peer/rtc_data_channel.h"
#include "peer/rtc_peer_connection.h"
#include "devices/camera.h"
#include "devices/device_watcher.h"
#include "devices/microphone.h"
#include "devices/screen.h"
#include "media/audio_device.h"
#include "media/audio_sink.h"
#include "media/audio_source.h"
#include "media/frame_conversion.h"
#include "media/media_stream_track.h"
#include "media/rtc_rtp_transceiver.h"
#include "media/rtp_parameters.h"
#include "media/video_sink.h"
#include "media/video_source.h"

namespace lwn {
namespace {

Napi::Value SetLogLevel(const Napi::CallbackInfo& info) {
  std::string level = info[0].ToString().Utf8Value();
  rtc::LoggingSeverity severity = rtc::LS_NONE;
  if (level == "verbose") severity = rtc::LS_VERBOSE;
  if (level == "info") severity = rtc::LS_INFO;
  if (level == "warning") severity = rtc::LS_WARNING;
  if (level == "error") severity = rtc::LS_ERROR;
  rtc::LogMessage::LogToDebug(severity);
  SetCodecLogLevel(severity);
  rtc::LogMessage::LogTimestamps(severity != rtc::LS_NONE);
  rtc::LogMessage::LogThreads(severity != rtc::LS_NONE);
  return info.Env().Undefined();
}

Napi::Value RuntimeInfo(const Napi::CallbackInfo& info) {
  AddonData* data = AddonData::Get(info.Env());
  Napi::Object o = Napi::Object::New(info.Env());
  o.Set("runtime", !data->runtime.expired());
  o.Set("peerConnections", static_cast<double>(data->peer_connections.size()));
  return o;
}

// Gives the heap pages freed since the last call back to the system (glibc keeps them in its
// arenas otherwise). The JS layer calls it once every connection of the environment is closed.
Napi::Value TrimHeap(const Napi::CallbackInfo& info) {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
  return info.Env().Undefined();
}

// Bytes the C allocator has handed out and not had back (glibc's mallinfo2, every arena and the
// mmapped chunks), or null without glibc: the live heap, apart from RSS, for the benchmarks.
Napi::Value HeapInUse(const Napi::CallbackInfo& info) {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 33)
  struct mallinfo2 m = mallinfo2();
  return Napi::Number::New(info.Env(), static_cast<double>(m.uordblks + m.hblkhd));
#else
  return info.Env().Null();
#endif
}

Napi::Value SetCallSite(const Napi::CallbackInfo& info) {
  if (info[0].IsString()) {
    lwn::SetCallSite(AddonData::Get(info.Env())->call_site_slot,
                     info[0].As<Napi::String>().Utf8Value());
  }
  return info.Env().Undefined();
}

// What each of the runtime's threads, and the JS thread, report as "current" to libwebrtc's
// thread and sequence checks: rtc::Thread::IsCurrent() and TaskQueueBase::Current(), the
// latter our PIC shim's thread-local (native/runtime/pic_shims.cc).
Napi::Value ThreadsInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::shared_ptr<Runtime> runtime = AddonData::Get(env)->runtime.lock();
  Napi::Object o = Napi::Object::New(env);
  o.Set("jsTaskQueue", webrtc::TaskQueueBase::Current() == nullptr ? "none" : "set");
  if (!runtime) return o;
  auto probe = [](rtc::Thread* thread) {
    return thread->BlockingCall(
        [thread] { return thread->IsCurrent() && webrtc::TaskQueueBase::Current() == thread; });
  };
  o.Set("signaling", probe(runtime->signaling_thread()));
  o.Set("network", probe(runtime->network_thread()));
  o.Set("worker", probe(runtime->worker_thread()));
  o.Set("distinct", runtime->signaling_thread() != runtime->network_thread() &&
                        runtime->network_thread() != runtime->worker_thread());
  return o;
}

Napi::Value FailCheckForTest(const Napi::CallbackInfo& info) {
  std::string thread = info[0].ToString().Utf8Value();
  if (thread == "signaling") {
    std::shared_ptr<Runtime> runtime = AddonData::Get(info.Env())->AcquireRuntime();
    runtime->signaling_thread()->BlockingCall(
        [] { RTC_CHECK_EQ(1, 2) << "failCheckForTest on the signaling thread"; });
  }
  RTC_CHECK(false) << "failCheckForTest on the JS thread";
  return info.Env().Undefined();
}

// getRtpCapabilities(kind, 'sender' | 'receiver'): what libwebrtc's factory can send or receive.
Napi::Value GetRtpCapabilities(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::shared_ptr<Runtime> runtime = AddonData::Get(env)->AcquireRuntime();
  if (!runtime) throw Napi::Error::New(env, "libwebrtc's PeerConnectionFactory failed");
  cricket::MediaType kind = info[0].ToString().Utf8Value() == "video" ? cricket::MEDIA_TYPE_VIDEO
                                                                      : cricket::MEDIA_TYPE_AUDIO;
  bool sender = info[1].ToString().Utf8Value() == "sender";
  return ToJs(env, sender ? runtime->factory()->GetRtpSenderCapabilities(kind)
                          : runtime->factory()->GetRtpReceiverCapabilities(kind));
}

// Releases every track, source and sink of this environment (lib/'s process 'exit' hook,
// after it closed the connections).
Napi::Value ReleaseMedia(const Napi::CallbackInfo& info) {
  AddonData::Get(info.Env())->ReleaseMedia();
  return info.Env().Undefined();
}

// The audio device's playout pulls so far (0 with no runtime): remote audio is decoded only
// while they happen.
Napi::Value AudioDeviceInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::shared_ptr<Runtime> runtime = AddonData::Get(env)->runtime.lock();
  Napi::Object o = Napi::Object::New(env);
  o.Set("playoutPulls",
        static_cast<double>(runtime ? runtime->audio_device()->playout_pulls() : 0));
  return o;
}

void OnEnvironmentCleanup(void* arg) {
  // Registered before any connection's hook, so it runs after them all (hooks run in reverse).
  auto* data = static_cast<AddonData*>(arg);
  data->shutting_down = true;
  data->ReleaseMedia();
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  // Our own (static, hidden) OpenSSL: no atexit cleanup, so nothing is torn down under a
  // libwebrtc thread still running while the process exits. The OS reclaims it.
  OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, nullptr);
  // libwebrtc logs a lot by default; lib/ turns it on when LIBWEBRTC_NODE_LOG asks.
  rtc::LogMessage::LogToDebug(rtc::LS_NONE);
  SetCodecLogLevel(rtc::LS_NONE);

  auto* data = new AddonData();
  env.SetInstanceData<AddonData>(data);

  Napi::Function data_channel = RTCDataChannel::Init(env);
  data->data_channel_ctor = Napi::Persistent(data_channel);
  Napi::Function transceiver = RTCRtpTransceiver::Init(env);
  data->transceiver_ctor = Napi::Persistent(transceiver);
  Napi::Function certificate = RTCCertificate::Init(env);
  data->certificate_ctor = Napi::Persistent(certificate);
  Napi::Function track = MediaStreamTrack::Init(env);
  data->track_ctor = Napi::Persistent(track);
  Napi::Function sender = RTCRtpSender::Init(env);
  data->sender_ctor = Napi::Persistent(sender);
  Napi::Function receiver = RTCRtpReceiver::Init(env);
  data->receiver_ctor = Napi::Persistent(receiver);
  napi_add_env_cleanup_hook(env, OnEnvironmentCleanup, data);

  exports.Set("PeerConnection", RTCPeerConnection::Init(env));
  exports.Set("DataChannel", data_channel);
  exports.Set("RtpTransceiver", transceiver);
  exports.Set("Certificate", certificate);
  exports.Set("MediaStreamTrack", track);
  exports.Set("RtpSender", sender);
  exports.Set("RtpReceiver", receiver);
  exports.Set("VideoSource", RTCVideoSource::Init(env));
  exports.Set("VideoSink", RTCVideoSink::Init(env));
  exports.Set("AudioSource", RTCAudioSource::Init(env));
  exports.Set("AudioSink", RTCAudioSink::Init(env));
  exports.Set("getRtpCapabilities", Napi::Function::New(env, GetRtpCapabilities));
  exports.Set("listCameras", Napi::Function::New(env, ListCameras));
  exports.Set("CameraCapture", CameraCapture::Init(env));
  exports.Set("listDisplaySources", Napi::Function::New(env, ListDisplaySources));
  exports.Set("ScreenCapture", ScreenCapture::Init(env));
  exports.Set("listAudioDevices", Napi::Function::New(env, ListAudioDevices));
  exports.Set("MicrophoneCapture", MicrophoneCapture::Init(env));
  exports.Set("setAudioOutput", Napi::Function::New(env, SetAudioOutput));
  exports.Set("DeviceWatcher", DeviceWatcher::Init(env));
  exports.Set("i420ToRgba", Napi::Function::New(env, I420ToRgba));
  exports.Set("rgbaToI420", Napi::Function::New(env, RgbaToI420));
  exports.Set("releaseMedia", Napi::Function::New(env, ReleaseMedia));
  exports.Set("audioDeviceInfo", Napi::Function::New(env, AudioDeviceInfo));
  exports.Set("generateCertificate", Napi::Function::New(env, RTCCertificate::Generate));
  exports.Set("setLogLevel", Napi::Function::New(env, SetLogLevel));
  exports.Set("runtimeInfo", Napi::Function::New(env, RuntimeInfo));
  exports.Set("trimHeap", Napi::Function::New(env, TrimHeap));
  exports.Set("heapInUse", Napi::Function::New(env, HeapInUse));
  exports.Set("setCallSite", Napi::Function::New(env, SetCallSite));
  exports.Set("failCheckForTest", Napi::Function::New(env, FailCheckForTest));
  exports.Set("threadsInfo", Napi::Function::New(env, ThreadsInfo));
  return exports;
}

}  // namespace
}  // namespace lwn

static Napi::Object InitModule(Napi::Env env, Napi::Object exports) {
  return lwn::Init(env, exports);
}

NODE_API_MODULE(libwebrtc_node, InitModule)
