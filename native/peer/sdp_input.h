// The parse step for the text a remote peer controls: a session description (type and SDP)
// for setLocalDescription/setRemoteDescription, and a candidate line for addIceCandidate.
// Pure functions with no Node-API dependency, so that the addon (rtc_peer_connection.cc) and
// the fuzz targets (fuzz/) run exactly the same code on untrusted input.
#ifndef LWN_SDP_INPUT_H_
#define LWN_SDP_INPUT_H_

#include <memory>
#include <string>

#include "api/jsep.h"
#include "api/rtc_error.h"

namespace lwn {

// `type` as RTCSdpType spells it ("offer", "pranswer", "answer", "rollback"). An unknown type
// is INVALID_PARAMETER "Invalid SDP type"; SDP that does not parse is OperationError with
// errorDetail 'sdp-syntax-error' (the spec's wording), naming the offending line. A rollback
// ignores `sdp`. Beyond libwebrtc's parse, two guards for descriptions it parses but then
// crashes serializing (sdp_input.cc): a media section of unknown type over DTLS/SCTP is
// refused as a syntax error, and contradictory maxptime values are dropped.
webrtc::RTCErrorOr<std::unique_ptr<webrtc::SessionDescriptionInterface>> ParseSessionDescription(
    const std::string& type, const std::string& sdp);

// A candidate line ("candidate:..." with or without "a=") for the media section named by
// `sdp_mid` (empty: none) or, failing that, by `sdp_mline_index`. A line that does not parse
// is OperationError "Error processing ICE candidate: <reason>".
webrtc::RTCErrorOr<std::unique_ptr<webrtc::IceCandidateInterface>> ParseIceCandidate(
    const std::string& sdp_mid, int sdp_mline_index, const std::string& candidate);

}  // namespace lwn

#endif  // LWN_SDP_INPUT_H_
