// The codec factories the runtime's PeerConnectionFactory uses.
//
// This libtgowt's builtin audio factories leave Opus out, although its encoder and decoder are in
// the archive; these are built from libwebrtc's codec templates with Opus first, in the order
// browsers offer: opus (libwebrtc adds red/48000 right after it), G722, PCMU, PCMA (then CN and
// telephone-event, which libwebrtc generates). Multichannel Opus and L16 are understood but not
// advertised, as in Chromium. Video uses libwebrtc's builtin factories: VP8, VP9 (profiles 0 and
// 2) and H.264 (openh264 encoder, ffmpeg decoder); this build has no AV1. ffmpeg is loaded at
// run time (runtime/lazy_libraries.h) when the decoder factory is first asked what it can
// decode; where it is missing, H.264 is sent but not received (not offered as a receive codec).
#ifndef LWN_MEDIA_CODECS_H_
#define LWN_MEDIA_CODECS_H_

#include "api/audio_codecs/audio_decoder_factory.h"
#include "api/audio_codecs/audio_encoder_factory.h"
#include "api/scoped_refptr.h"
#include "api/video_codecs/video_decoder_factory.h"

namespace lwn {

rtc::scoped_refptr<webrtc::AudioEncoderFactory> CreateAudioEncoderFactory();
rtc::scoped_refptr<webrtc::AudioDecoderFactory> CreateAudioDecoderFactory();
std::unique_ptr<webrtc::VideoDecoderFactory> CreateVideoDecoderFactory();

// Any thread: whether H.264 can be decoded here (ffmpeg loads); loads it the first time.
bool H264DecodingAvailable(std::string* error = nullptr);

}  // namespace lwn

#endif  // LWN_MEDIA_CODECS_H_
