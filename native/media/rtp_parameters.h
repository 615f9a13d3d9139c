// Conversions between libwebrtc's RTP parameter and capability structs and the plain records of
// binding.d.ts (RtpParametersRecord, RtpCodecRecord, ...), on the JS thread.
#ifndef LWN_MEDIA_RTP_PARAMETERS_H_
#define LWN_MEDIA_RTP_PARAMETERS_H_

#include "api/rtp_parameters.h"
#include "api/rtp_transceiver_interface.h"
#include "runtime/common.h"

namespace lwn {

// "a=b;c=d", as SDP's a=fmtp line carries it.
std::string FmtpLine(const std::map<std::string, std::string>& parameters);

Napi::Object ToJs(Napi::Env env, const webrtc::RtpCapabilities& capabilities);
// Sender (with encodings) or receiver parameters.
Napi::Object ToJs(Napi::Env env, const webrtc::RtpParameters& parameters, bool sender);

// A codec capability record ({ mimeType, clockRate, channels?, sdpFmtpLine? }); false when the
// record is not one.
bool ToCodecCapability(const Napi::Value& value, webrtc::RtpCodecCapability* capability);

// Reads the writable members of a sender's parameters record into `parameters` (a copy of those
// last returned): each encoding's active, maxBitrate, maxFramerate, scaleResolutionDownBy,
// priority and networkPriority, and degradationPreference. lib/ has checked the rest.
void ApplySendParameters(const Napi::Object& record, webrtc::RtpParameters* parameters);

// RTCRtpEncodingParameters records from addTransceiver()'s sendEncodings.
std::vector<webrtc::RtpEncodingParameters> ToEncodings(const Napi::Value& value);

webrtc::RtpTransceiverDirection ParseDirection(const std::string& s);
const char* ToString(webrtc::RtpTransceiverDirection direction);

}  // namespace lwn

#endif  // LWN_MEDIA_RTP_PARAMETERS_H_
