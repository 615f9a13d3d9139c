#include "peer/sdp_input.h"

#include <algorithm>
#include <climits>

#include "media/base/media_constants.h"
#include "pc/media_protocol_names.h"
#include "pc/session_description.h"
#include "rtc_base/string_encode.h"

namespace lwn {

namespace {
// An RTCError from a failed SDP parse, as the spec words it (OperationError with errorDetail
// 'sdp-syntax-error').
webrtc::RTCError SdpSyntaxError(const webrtc::SdpParseError& error) {
  webrtc::RTCError e(webrtc::RTCErrorType::OPERATION_ERROR_WITH_DATA,
                     "Failed to parse SessionDescription. " + error.line + " " + error.description);
  e.set_error_detail(webrtc::RTCErrorDetailType::SDP_SYNTAX_ERROR);
  return e;
}

// What libwebrtc parses but cannot serialize: a media section of a type it does not know
// ("m=message 9 UDP/DTLS/SCTP webrtc-datachannel") becomes an UnsupportedContentDescription that
// keeps its DTLS/SCTP protocol, and SdpSerialize() (webrtc_sdp.cc, BuildMediaDescription) takes
// every DTLS/SCTP section for an SCTP one: as_sctp() is null, and it dereferences it. The addon
// serializes every description it holds (pc.remoteDescription, the state each operation
// reports), so one such m-line from a remote peer crashed the process (found by
// fuzz/sdp_fuzzer.cc). Refused as libwebrtc refuses audio or video over SCTP.
bool FindUnserializable(const webrtc::SessionDescriptionInterface& description,
                        webrtc::SdpParseError* error) {
  const cricket::SessionDescription* session = description.description();
  if (!session) return false;
  for (const cricket::ContentInfo& content : session->contents()) {
    const cricket::MediaContentDescription* media = content.media_description();
    if (!media || !cricket::IsDtlsSctp(media->protocol()) || media->as_sctp()) continue;
    const cricket::UnsupportedContentDescription* unsupported = media->as_unsupported();
    error->line = "m=" + (unsupported ? unsupported->media_type() : std::string("?")) + " " +
                  media->protocol();
    error->description = "Unsupported protocol for media type";
    return true;
  }
  return false;
}

// What libwebrtc parses but aborts the process serializing: SdpSerialize() checks that in each
// audio section the smallest "maxptime" of the codecs is above the largest "minptime"
// (webrtc_sdp.cc, BuildRtpContentAttributes: RTC_DCHECK(min_maxptime > max_minptime), live in
// Debian's build), which the parser never ensures: "a=maxptime:10" (the parser gives every
// codec of the section that maxptime) beside Opus's usual "minptime=10", or any maxptime of 0
// or less, aborted the process at the next serialization of the description (found by
// fuzz/sdp_fuzzer.cc). Such an upper bound contradicts the lower one and is dropped: the
// maxptime values at or below the largest minptime are removed from the codecs, the rest of
// the description as given (Chrome, whose release builds skip the check, would keep and
// serialize them). The values are read as libwebrtc reads them (rtc::FromString; text that is
// not a number counts as absent).
void DropContradictoryMaxptime(cricket::SessionDescription* session) {
  if (!session) return;
  for (cricket::ContentInfo& content : session->contents()) {
    cricket::MediaContentDescription* media = content.media_description();
    cricket::AudioContentDescription* audio = media ? media->as_audio() : nullptr;
    if (!audio) continue;
    int max_minptime = 0;
    int min_maxptime = INT_MAX;
    for (const cricket::AudioCodec& codec : audio->codecs()) {
      int value;
      auto found = codec.params.find(cricket::kCodecParamMinPTime);
      if (found != codec.params.end() && rtc::FromString(found->second, &value)) {
        max_minptime = std::max(max_minptime, value);
      }
      found = codec.params.find(cricket::kCodecParamMaxPTime);
      if (found != codec.params.end() && rtc::FromString(found->second, &value)) {
        min_maxptime = std::min(min_maxptime, value);
      }
    }
    if (min_maxptime == INT_MAX || min_maxptime > max_minptime) continue;
    std::vector<cricket::AudioCodec> codecs = audio->codecs();
    for (cricket::AudioCodec& codec : codecs) {
      int value;
      auto found = codec.params.find(cricket::kCodecParamMaxPTime);
      if (found != codec.params.end() && rtc::FromString(found->second, &value) &&
          value <= max_minptime) {
        codec.params.erase(found);
      }
    }
    audio->set_codecs(codecs);
  }
}
}  // namespace

webrtc::RTCErrorOr<std::unique_ptr<webrtc::SessionDescriptionInterface>> ParseSessionDescription(
    const std::string& type, const std::string& sdp) {
  absl::optional<webrtc::SdpType> sdp_type = webrtc::SdpTypeFromString(type);
  if (!sdp_type) {
    return webrtc::RTCError(webrtc::RTCErrorType::INVALID_PARAMETER, "Invalid SDP type");
  }
  webrtc::SdpParseError parse_error;
  std::unique_ptr<webrtc::SessionDescriptionInterface> description =
      webrtc::CreateSessionDescription(*sdp_type, sdp, &parse_error);
  if (!description || FindUnserializable(*description, &parse_error)) {
    return SdpSyntaxError(parse_error);
  }
  DropContradictoryMaxptime(description->description());
  return std::move(description);
}

webrtc::RTCErrorOr<std::unique_ptr<webrtc::IceCandidateInterface>> ParseIceCandidate(
    const std::string& sdp_mid, int sdp_mline_index, const std::string& candidate) {
  webrtc::SdpParseError parse_error;
  std::unique_ptr<webrtc::IceCandidateInterface> parsed(
      webrtc::CreateIceCandidate(sdp_mid, sdp_mline_index, candidate, &parse_error));
  if (!parsed) {
    return webrtc::RTCError(webrtc::RTCErrorType::OPERATION_ERROR_WITH_DATA,
                            "Error processing ICE candidate: " + parse_error.description);
  }
  return std::move(parsed);
}

}  // namespace lwn
