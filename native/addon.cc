// Module entry: per-environment data, the exported classes and functions (binding.d.ts).
#include <openssl/crypto.h>

#include "common.h"
#include "rtc_base/logging.h"
#include "rtc_certificate.h"
#include "rtc_data_channel.h"
#include "rtc_peer_connection.h"
#include "rtc_rtp_transceiver.h"

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
  return exports;
}

}  // namespace
}  // namespace lwn

static Napi::Object InitModule(Napi::Env env, Napi::Object exports) {
  return lwn::Init(env, exports);
}

NODE_API_MODULE(libwebrtc_node, InitModule)
