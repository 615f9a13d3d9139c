#include "peer/rtc_certificate.h"

#include "rtc_base/rtc_certificate_generator.h"
#include "rtc_base/ssl_fingerprint.h"

namespace lwn {

namespace {
const napi_type_tag kCertificateTag = {0x6c776e5f63657274ULL, 0x9d1b5c2e7a4f3e01ULL};

// Key generation takes tens of milliseconds for RSA: off the JS thread, on libuv's pool.
class GenerateWorker : public Napi::AsyncWorker {
 public:
  GenerateWorker(Napi::Env env, rtc::KeyParams params, uint64_t expires_ms)
      : Napi::AsyncWorker(env, "RTCCertificate.generate"),
        deferred_(Napi::Promise::Deferred::New(env)),
        params_(params),
        expires_ms_(expires_ms) {}

  Napi::Promise Promise() { return deferred_.Promise(); }

  void Execute() override {
    certificate_ = rtc::RTCCertificateGenerator::GenerateCertificate(params_, expires_ms_);
    if (!certificate_) SetError("Certificate generation failed");
  }
  void OnOK() override {
    Napi::Env env = Env();
    auto* holder = new rtc::scoped_refptr<rtc::RTCCertificate>(std::move(certificate_));
    deferred_.Resolve(AddonData::Get(env)->certificate_ctor.New(
        {Napi::External<rtc::scoped_refptr<rtc::RTCCertificate>>::New(env, holder)}));
  }
  void OnError(const Napi::Error& error) override {
    Napi::Error e = Napi::Error::New(Env(), error.Message());
    e.Set("name", "OperationError");
    deferred_.Reject(e.Value());
  }

 private:
  Napi::Promise::Deferred deferred_;
  rtc::KeyParams params_;
  uint64_t expires_ms_;
  rtc::scoped_refptr<rtc::RTCCertificate> certificate_;
};
}  // namespace

Napi::Function RTCCertificate::Init(Napi::Env env) {
  return DefineClass(env, "Certificate",
                     {
                         InstanceMethod<&RTCCertificate::Expires>("expires"),
                         InstanceMethod<&RTCCertificate::Fingerprints>("fingerprints"),
                     });
}

RTCCertificate::RTCCertificate(const Napi::CallbackInfo& info)
    : Napi::ObjectWrap<RTCCertificate>(info) {
  if (!info[0].IsExternal()) {
    throw Napi::TypeError::New(info.Env(), "Certificate is made by generateCertificate()");
  }
  auto* holder = info[0].As<Napi::External<rtc::scoped_refptr<rtc::RTCCertificate>>>().Data();
  certificate_ = std::move(*holder);
  delete holder;
  info.This().As<Napi::Object>().TypeTag(&kCertificateTag);
}

rtc::scoped_refptr<rtc::RTCCertificate> RTCCertificate::FromValue(Napi::Value value) {
  if (!value.IsObject()) return nullptr;
  Napi::Object object = value.As<Napi::Object>();
  if (!object.CheckTypeTag(&kCertificateTag)) return nullptr;
  return ObjectWrap<RTCCertificate>::Unwrap(object)->certificate_;
}

Napi::Value RTCCertificate::Generate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsObject() || !info[1].IsNumber()) {
    throw Napi::TypeError::New(env, "generateCertificate(params, expiresMs)");
  }
  Napi::Object params = info[0].As<Napi::Object>();
  rtc::KeyParams key_params = rtc::KeyParams::ECDSA(rtc::EC_NIST_P256);
  if (GetString(params, "type") == "rsa") {
    key_params = rtc::KeyParams::RSA(GetInt(params, "modulusLength", rtc::kRsaDefaultModSize),
                                     GetInt(params, "publicExponent", rtc::kRsaDefaultExponent));
    if (!key_params.IsValid()) {
      Napi::Error e = Napi::Error::New(env, "Unsupported RSA parameters");
      e.Set("name", "NotSupportedError");
      auto deferred = Napi::Promise::Deferred::New(env);
      deferred.Reject(e.Value());
      return deferred.Promise();
    }
  }
  double expires = info[1].As<Napi::Number>().DoubleValue();
  auto* worker = new GenerateWorker(env, key_params, static_cast<uint64_t>(expires));
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

Napi::Value RTCCertificate::Expires(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(certificate_->Expires()));
}

Napi::Value RTCCertificate::Fingerprints(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Array list = Napi::Array::New(env);
  std::unique_ptr<rtc::SSLFingerprint> fingerprint =
      rtc::SSLFingerprint::CreateFromCertificate(*certificate_);
  if (fingerprint) {
    Napi::Object o = Napi::Object::New(env);
    o.Set("algorithm", fingerprint->algorithm);
    // RFC 4572 form is upper-case; the spec and browsers give lower-case hex.
    std::string value = fingerprint->GetRfc4572Fingerprint();
    for (char& c : value) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
    o.Set("value", value);
    list.Set(0u, o);
  }
  return list;
}

}  // namespace lwn
