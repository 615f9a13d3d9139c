// The codec factories the runtime's PeerConnectionFactory uses.
//
// This libtgowt's builtin audio factories leave Opus out, although its encoder and decoder are in
// the archive; these are built from libwebrtc's codec templates with Opus first, in the order
// browsers offer: opus (libwebrtc adds red/48000 right after it), G722, PCMU, PCMA (then CN and
// telephone-event, which libwebrtc generates). Multichannel Opus and L16 are understood but not
// advertised, as in Chromium. Video uses libwebrtc's builtin factories: VP8, VP9 (profiles 0 and
// 2) and H.264 (openh264 encoder, ffmpeg decoder); this build has no AV1.
#ifndef LWN_MEDIA_CODECS_H_
#define LWN_MEDIA_CODECS_H_

#include "api/audio_codecs/audio_decoder_factory.h"
#include "api/audio_codecs/audio_encoder_factory.h"
#include "api/scoped_refptr.h"

namespace lwn {

rtc::scoped_refptr<webrtc::AudioEncoderFactory> CreateAudioEncoderFactory();
rtc::scoped_refptr<webrtc::AudioDecoderFactory> CreateAudioDecoderFactory();

}  // namespace lwn

#endif  // LWN_MEDIA_CODECS_H_
