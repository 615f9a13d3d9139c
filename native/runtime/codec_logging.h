// The codec libraries' logging (openh264, ffmpeg), set with libwebrtc's (runtime/addon.cc).
#ifndef LWN_RUNTIME_CODEC_LOGGING_H_
#define LWN_RUNTIME_CODEC_LOGGING_H_

#include "rtc_base/logging.h"

namespace lwn {

void SetCodecLogLevel(rtc::LoggingSeverity severity);

// Once ffmpeg is loaded (media/codecs.cc): gives it the current level.
void ApplyFfmpegLogLevel();

}  // namespace lwn

#endif  // LWN_RUNTIME_CODEC_LOGGING_H_
