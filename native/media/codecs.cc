#include "media/codecs.h"

#include "api/audio_codecs/L16/audio_decoder_L16.h"
#include "api/audio_codecs/L16/audio_encoder_L16.h"
#include "api/audio_codecs/audio_decoder_factory_template.h"
#include "api/audio_codecs/audio_encoder_factory_template.h"
#include "api/audio_codecs/g711/audio_decoder_g711.h"
#include "api/audio_codecs/g711/audio_encoder_g711.h"
#include "api/audio_codecs/g722/audio_decoder_g722.h"
#include "api/audio_codecs/g722/audio_encoder_g722.h"
#include "api/audio_codecs/opus/audio_decoder_multi_channel_opus.h"
#include "api/audio_codecs/opus/audio_decoder_opus.h"
#include "api/audio_codecs/opus/audio_encoder_multi_channel_opus.h"
#include "api/audio_codecs/opus/audio_encoder_opus.h"
#include "api/video_codecs/builtin_video_decoder_factory.h"
#include "api/video_codecs/video_decoder.h"
#include "absl/strings/match.h"
#include "media/base/media_constants.h"
#include "rtc_base/logging.h"
#include "runtime/codec_logging.h"
#include "runtime/lazy_libraries.h"

namespace lwn {
namespace {

// The format of a codec that is not advertised comes from the remote description alone, and
// libwebrtc's SdpToConfig() for these trusts it: multichannel Opus computes its default bitrate
// from the channel count and checks the result (RTC_DCHECK, live in Debian's build), so
// "a=rtpmap:111 multiopus/48000/0" in a remote offer aborted the process when the offer was
// applied (found by fuzz/pc_fuzzer.cc). A channel count libwebrtc's audio coding cannot hold
// (the SDP parser stops at 24) is no format of ours, and a configuration the codec would refuse
// (IsOk(): checked in debug builds by QueryAudioEncoder) is none either.
template <typename Config, int kMaxChannels, typename ToConfig>
absl::optional<Config> CheckedSdpToConfig(const webrtc::SdpAudioFormat& format,
                                          ToConfig to_config) {
  if (format.num_channels < 1 || format.num_channels > static_cast<size_t>(kMaxChannels)) {
    return absl::nullopt;
  }
  absl::optional<Config> config = to_config(format);
  if (config && !config->IsOk()) return absl::nullopt;
  return config;
}

// A codec the factory can make when a remote description asks for it, but does not offer.
template <typename T>
struct NotAdvertisedEncoder {
  using Config = typename T::Config;
  static absl::optional<Config> SdpToConfig(const webrtc::SdpAudioFormat& format) {
    return CheckedSdpToConfig<Config, webrtc::AudioEncoder::kMaxNumberOfChannels>(
        format, [](const webrtc::SdpAudioFormat& f) { return T::SdpToConfig(f); });
  }
  static void AppendSupportedEncoders(std::vector<webrtc::AudioCodecSpec>*) {}
  static webrtc::AudioCodecInfo QueryAudioEncoder(const Config& config) {
    return T::QueryAudioEncoder(config);
  }
  static std::unique_ptr<webrtc::AudioEncoder> MakeAudioEncoder(
      const Config& config, int payload_type,
      absl::optional<webrtc::AudioCodecPairId> codec_pair_id = absl::nullopt,
      const webrtc::FieldTrialsView* field_trials = nullptr) {
    return T::MakeAudioEncoder(config, payload_type, codec_pair_id, field_trials);
  }
};

template <typename T>
struct NotAdvertisedDecoder {
  using Config = typename T::Config;
  static absl::optional<Config> SdpToConfig(const webrtc::SdpAudioFormat& format) {
    return CheckedSdpToConfig<Config, webrtc::AudioDecoder::kMaxNumberOfChannels>(
        format, [](const webrtc::SdpAudioFormat& f) { return T::SdpToConfig(f); });
  }
  static void AppendSupportedDecoders(std::vector<webrtc::AudioCodecSpec>*) {}
  static std::unique_ptr<webrtc::AudioDecoder> MakeAudioDecoder(
      const Config& config, absl::optional<webrtc::AudioCodecPairId> codec_pair_id = absl::nullopt,
      const webrtc::FieldTrialsView* field_trials = nullptr) {
    return T::MakeAudioDecoder(config, codec_pair_id, field_trials);
  }
};

}  // namespace

rtc::scoped_refptr<webrtc::AudioEncoderFactory> CreateAudioEncoderFactory() {
  return webrtc::CreateAudioEncoderFactory<
      webrtc::AudioEncoderOpus, NotAdvertisedEncoder<webrtc::AudioEncoderMultiChannelOpus>,
      webrtc::AudioEncoderG722, webrtc::AudioEncoderG711,
      NotAdvertisedEncoder<webrtc::AudioEncoderL16>>();
}

rtc::scoped_refptr<webrtc::AudioDecoderFactory> CreateAudioDecoderFactory() {
  return webrtc::CreateAudioDecoderFactory<
      webrtc::AudioDecoderOpus, NotAdvertisedDecoder<webrtc::AudioDecoderMultiChannelOpus>,
      webrtc::AudioDecoderG722, webrtc::AudioDecoderG711,
      NotAdvertisedDecoder<webrtc::AudioDecoderL16>>();
}

namespace {

bool IsH264(const webrtc::SdpVideoFormat& format) {
  return absl::EqualsIgnoreCase(format.name, cricket::kH264CodecName);
}

// libwebrtc's builtin decoders, with H.264 only where ffmpeg loads.
class VideoDecoderFactory : public webrtc::VideoDecoderFactory {
 public:
  std::vector<webrtc::SdpVideoFormat> GetSupportedFormats() const override {
    std::vector<webrtc::SdpVideoFormat> formats = builtin_->GetSupportedFormats();
    if (!H264DecodingAvailable()) {
      formats.erase(std::remove_if(formats.begin(), formats.end(), IsH264), formats.end());
    }
    return formats;
  }
  std::unique_ptr<webrtc::VideoDecoder> CreateVideoDecoder(
      const webrtc::SdpVideoFormat& format) override {
    if (IsH264(format) && !H264DecodingAvailable()) return nullptr;
    return builtin_->CreateVideoDecoder(format);
  }

 private:
  std::unique_ptr<webrtc::VideoDecoderFactory> builtin_ =
      webrtc::CreateBuiltinVideoDecoderFactory();
};

}  // namespace

std::unique_ptr<webrtc::VideoDecoderFactory> CreateVideoDecoderFactory() {
  return std::make_unique<VideoDecoderFactory>();
}

bool H264DecodingAvailable(std::string* error) {
  static const bool available = [] {
    std::string why;
    if (!LoadLazyGroup(LazyGroup::kFfmpeg, &why)) {
      RTC_LOG(LS_WARNING) << "H.264 is not received: no decoder without ffmpeg: " << why;
      return false;
    }
    ApplyFfmpegLogLevel();
    return true;
  }();
  if (!available && error) LoadLazyGroup(LazyGroup::kFfmpeg, error);
  return available;
}

}  // namespace lwn
