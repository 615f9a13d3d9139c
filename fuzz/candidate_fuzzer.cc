// libFuzzer target: a remote ICE candidate, through the addon's own parse step
// (native/peer/sdp_input.h: what RTCPeerConnection.addIceCandidate() runs on a candidate
// string), then serialized back as the addon does for the candidate lines it reports
// (rtc_dtls_transport.cc, CandidateLine; rtc_peer_connection.cc, OnIceCandidate).
//
// Input: the candidate string ("candidate:..." or "a=candidate:..."). sdpMid is "0" and
// sdpMLineIndex 0 (the parse only stores them), except that an input whose first line is
// "mid:<text>" names the sdpMid.
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <string>

#include "api/jsep_ice_candidate.h"
#include "fuzz_input.h"
#include "peer/sdp_input.h"
#include "rtc_base/logging.h"

// LWN_FUZZ_VERBOSE=1: print each input's outcome (to check the seeds:
// LWN_FUZZ_VERBOSE=1 build-fuzz/<target> fuzz/corpus/<dir>/*).
static bool verbose = false;
// How far inputs get, printed at exit (scripts/fuzz.sh shows it).
static unsigned long inputs = 0, parsed_count = 0;
static void PrintCounts() {
  fprintf(stderr, "candidate_fuzzer: %lu inputs, %lu parsed\n", inputs, parsed_count);
}

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  verbose = getenv("LWN_FUZZ_VERBOSE") != nullptr;
  rtc::LogMessage::LogToDebug(rtc::LS_NONE);
  rtc::LogMessage::SetLogToStderr(false);
  atexit(PrintCounts);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ++inputs;
  std::string input(reinterpret_cast<const char*>(data), size);
  std::string mid = lwn_fuzz::TakeHeaderLine(input, "mid:").value_or("0");
  auto parsed = lwn::ParseIceCandidate(mid, 0, input);
  if (!parsed.ok()) {
    if (verbose) fprintf(stderr, "rejected: %s\n", parsed.error().message());
    volatile size_t length = strlen(parsed.error().message());
    (void)length;
    return 0;
  }
  ++parsed_count;
  std::unique_ptr<webrtc::IceCandidateInterface> candidate = parsed.MoveValue();
  std::string line;
  candidate->ToString(&line);
  // The addon's CandidateLine(): a cricket::Candidate re-wrapped and serialized.
  std::string again;
  webrtc::JsepIceCandidate(candidate->sdp_mid(), 0, candidate->candidate()).ToString(&again);
  if (verbose) fprintf(stderr, "parsed: %s\n", again.c_str());
  volatile size_t length = candidate->candidate().ToString().size();  // libwebrtc's log form
  (void)length;
  return 0;
}
