// RTCCertificate's native half: an rtc::RTCCertificate (key pair + self-signed certificate).
#ifndef LWN_RTC_CERTIFICATE_H_
#define LWN_RTC_CERTIFICATE_H_

#include "runtime/common.h"
#include "rtc_base/rtc_certificate.h"

namespace lwn {

class RTCCertificate : public Napi::ObjectWrap<RTCCertificate> {
 public:
  static Napi::Function Init(Napi::Env env);
  explicit RTCCertificate(const Napi::CallbackInfo& info);
  // The certificate inside `value` if it is one of our wrappers (checked by type tag), else null.
  static rtc::scoped_refptr<rtc::RTCCertificate> FromValue(Napi::Value value);
  static Napi::Value Generate(const Napi::CallbackInfo& info);

 private:
  Napi::Value Expires(const Napi::CallbackInfo& info);
  Napi::Value Fingerprints(const Napi::CallbackInfo& info);

  rtc::scoped_refptr<rtc::RTCCertificate> certificate_;
};

}  // namespace lwn

#endif  // LWN_RTC_CERTIFICATE_H_
