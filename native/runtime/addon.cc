// Module entry: per-environment data, the exported classes and functions (binding.d.ts).
#include <openssl/crypto.h>

#include "runtime/common.h"
#include "runtime/fatal_checks.h"
#include "api/task_queue/task_queue_base.h"
#include "rtc_base/checks.h"
#include "rtc_base/logging.h"
#include "peer/rtc_certificate.h"
#include "peer/rtc_data_channel.h"
#include "peer/rtc_peer_connection.h"
#include "media/rtc_rtp_transceiver.h"

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
    return thread->BlockingCall([thread] {
      return thread->IsCurrent() && webrtc::TaskQueueBase::Current() == thread;
    });
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

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  // Our own (static, hidden) OpenSSL: no atexit cleanup, so nothing is torn down under a
  // libwebrtc thread still running while the process exits. The OS reclaims it.
  OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, nullptr);
  // libwebrtc logs a lot by default; lib/ turns it on when LIBWEBRTC_NODE_LOG asks.
  rtc::LogMessage::LogToDebug(rtc::LS_NONE);

  auto* data = new AddonData();
  env.SetInstanceData<AddonData>(data);

  Napi::Function data_channel = RTCDataChannel::Init(env);
  data->data_channel_ctor = Napi::Persistent(data_channel);
  Napi::Function transceiver = RTCRtpTransceiver::Init(env);
  data->transceiver_ctor = Napi::Persistent(transceiver);
  Napi::Function certificate = RTCCertificate::Init(env);
  data->certificate_ctor = Napi::Persistent(certificate);

  exports.Set("PeerConnection", RTCPeerConnection::Init(env));
  exports.Set("DataChannel", data_channel);
  exports.Set("RtpTransceiver", transceiver);
  exports.Set("Certificate", certificate);
  exports.Set("generateCertificate", Napi::Function::New(env, RTCCertificate::Generate));
  exports.Set("setLogLevel", Napi::Function::New(env, SetLogLevel));
  exports.Set("runtimeInfo", Napi::Function::New(env, RuntimeInfo));
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
