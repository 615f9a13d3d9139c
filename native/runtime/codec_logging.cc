// The codec libraries' own logging follows libwebrtc's log level (off by default): openh264
// (inside libtg_owt.a) prints warnings to stdout whenever an H.264 encoder is configured, and
// ffmpeg (libavcodec, the H.264 decoder, loaded at run time) prints its own, neither through
// libwebrtc's logging.
//
// openh264 has no global switch, only a per-encoder option, and libwebrtc creates the encoders:
// the link wraps WelsCreateSVCEncoder (-Wl,--wrap, CMakeLists.txt; GNU ld, so Linux only) so
// each new encoder gets the current level before libwebrtc configures it.
#include <atomic>

#include "runtime/codec_logging.h"
#include "third_party/openh264/src/codec/api/svc/codec_api.h"

extern "C" {
#include <libavutil/log.h>
}

#include "runtime/lazy_libraries.h"

namespace lwn {
namespace {
// Process-wide, like the libraries' own.
std::atomic<int> g_openh264_level{WELS_LOG_QUIET};
std::atomic<int> g_ffmpeg_level{AV_LOG_QUIET};
}  // namespace

void ApplyFfmpegLogLevel() { av_log_set_level(g_ffmpeg_level.load()); }

void SetCodecLogLevel(rtc::LoggingSeverity severity) {
  int openh264 = WELS_LOG_QUIET;
  int ffmpeg = AV_LOG_QUIET;
  switch (severity) {
    case rtc::LS_VERBOSE:
      openh264 = WELS_LOG_DEBUG;
      ffmpeg = AV_LOG_VERBOSE;
      break;
    case rtc::LS_INFO:
      openh264 = WELS_LOG_INFO;
      ffmpeg = AV_LOG_INFO;
      break;
    case rtc::LS_WARNING:
      openh264 = WELS_LOG_WARNING;
      ffmpeg = AV_LOG_WARNING;
      break;
    case rtc::LS_ERROR:
      openh264 = WELS_LOG_ERROR;
      ffmpeg = AV_LOG_ERROR;
      break;
    case rtc::LS_NONE:
      break;
  }
  g_openh264_level = openh264;
  g_ffmpeg_level = ffmpeg;
  // ffmpeg is loaded when H.264 decoding is first needed (media/codecs.cc), which applies
  // the level then; not loaded for this.
  if (LazyGroupLoaded(LazyGroup::kFfmpeg)) ApplyFfmpegLogLevel();
}

}  // namespace lwn

#if LWN_WRAP_OPENH264
extern "C" int __real_WelsCreateSVCEncoder(ISVCEncoder** encoder);

extern "C" int __wrap_WelsCreateSVCEncoder(ISVCEncoder** encoder) {
  int result = __real_WelsCreateSVCEncoder(encoder);
  if (result == 0 && encoder && *encoder) {
    int level = lwn::g_openh264_level.load();
    (*encoder)->SetOption(ENCODER_OPTION_TRACE_LEVEL, &level);
  }
  return result;
}
#endif  // LWN_WRAP_OPENH264
