// libFuzzer target: a remote session description, through the addon's own parse step
// (native/peer/sdp_input.h: what RTCPeerConnection.setRemoteDescription() and
// setLocalDescription() run on the text a script hands them), then serialized back as the
// addon does for pc.remoteDescription / pendingRemoteDescription (rtc_peer_connection.cc,
// DescriptionCopy::Serialize), and the serialization parsed again (a script may hand it back).
//
// Input: the SDP text. The type is "offer" — libwebrtc's parse does not depend on it (only
// "rollback" skips the parse) — except that an input whose first line is "type:<word>" (CRLF or
// LF) names the type itself, so the fuzzer also reaches our type check.
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <string>

#include "fuzz_input.h"
#include "pc/session_description.h"
#include "peer/sdp_input.h"
#include "rtc_base/logging.h"

// LWN_FUZZ_VERBOSE=1: print each input's outcome (to check the seeds:
// LWN_FUZZ_VERBOSE=1 build-fuzz/<target> fuzz/corpus/<dir>/*).
static bool verbose = false;
// How far inputs get, printed at exit (scripts/fuzz.sh shows it).
static unsigned long inputs = 0, parsed_count = 0, not_reparsed = 0;
static void PrintCounts() {
  fprintf(stderr, "sdp_fuzzer: %lu inputs, %lu parsed, %lu whose serialization does not parse\n",
          inputs, parsed_count, not_reparsed);
}

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  verbose = getenv("LWN_FUZZ_VERBOSE") != nullptr;
  // libwebrtc logs each parse failure (LS_WARNING/LS_ERROR) to stderr: noise at this rate.
  rtc::LogMessage::LogToDebug(rtc::LS_NONE);
  rtc::LogMessage::SetLogToStderr(false);
  atexit(PrintCounts);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ++inputs;
  std::string input(reinterpret_cast<const char*>(data), size);
  std::string type = lwn_fuzz::TakeHeaderLine(input, "type:").value_or("offer");
  auto parsed = lwn::ParseSessionDescription(type, input);
  if (!parsed.ok()) {
    if (verbose) fprintf(stderr, "rejected: %s\n", parsed.error().message());
    // The message the addon hands to JavaScript: built from the offending line.
    volatile size_t length = strlen(parsed.error().message());
    (void)length;
    return 0;
  }
  ++parsed_count;
  std::unique_ptr<webrtc::SessionDescriptionInterface> description = parsed.MoveValue();
  std::string serialized;
  if (!description->ToString(&serialized)) return 0;  // rollback: nothing to serialize
  auto again = lwn::ParseSessionDescription(type, serialized);
  if (verbose) {
    fprintf(stderr, "parsed: %s, %zu sections, %zu bytes serialized%s%s\n", type.c_str(),
            description->description()->contents().size(), serialized.size(),
            again.ok() ? "" : " (which does not parse again: ",
            again.ok() ? "" : (std::string(again.error().message()) + ")").c_str());
  }
  if (!again.ok()) ++not_reparsed;
  if (again.ok()) {
    std::string twice;
    again.value()->ToString(&twice);
  }
  return 0;
}
