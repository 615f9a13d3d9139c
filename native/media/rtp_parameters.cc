#include "media/rtp_parameters.h"

namespace lwn {

namespace {

// RTCPriorityType <-> libwebrtc's bitrate priority, as Chromium maps them.
double BitratePriority(const std::string& priority) {
  if (priority == "very-low") return webrtc::kDefaultBitratePriority / 2;
  if (priority == "medium") return webrtc::kDefaultBitratePriority * 2;
  if (priority == "high") return webrtc::kDefaultBitratePriority * 4;
  return webrtc::kDefaultBitratePriority;
}

const char* PriorityName(double bitrate_priority) {
  if (bitrate_priority < webrtc::kDefaultBitratePriority * 0.75) return "very-low";
  if (bitrate_priority >= webrtc::kDefaultBitratePriority * 3) return "high";
  if (bitrate_priority >= webrtc::kDefaultBitratePriority * 1.5) return "medium";
  return "low";
}

const char* ToString(webrtc::Priority priority) {
  switch (priority) {
    case webrtc::Priority::kVeryLow:
      return "very-low";
    case webrtc::Priority::kLow:
      break;
    case webrtc::Priority::kMedium:
      return "medium";
    case webrtc::Priority::kHigh:
      return "high";
  }
  return "low";
}

webrtc::Priority ParsePriority(const std::string& s) {
  if (s == "very-low") return webrtc::Priority::kVeryLow;
  if (s == "medium") return webrtc::Priority::kMedium;
  if (s == "high") return webrtc::Priority::kHigh;
  return webrtc::Priority::kLow;
}

Napi::Object CodecToJs(Napi::Env env, const std::string& mime_type,
                       const absl::optional<int>& clock_rate, const absl::optional<int>& channels,
                       const std::map<std::string, std::string>& parameters) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("mimeType", mime_type);
  o.Set("clockRate", clock_rate.value_or(0));
  if (channels) o.Set("channels", *channels);
  std::string fmtp = FmtpLine(parameters);
  if (!fmtp.empty()) o.Set("sdpFmtpLine", fmtp);
  return o;
}

}  // namespace

std::string FmtpLine(const std::map<std::string, std::string>& parameters) {
  std::string line;
  for (const auto& [key, value] : parameters) {
    if (!line.empty()) line += ';';
    line += key.empty() ? value : key + "=" + value;
  }
  return line;
}

Napi::Object ToJs(Napi::Env env, const webrtc::RtpCapabilities& capabilities) {
  Napi::Object o = Napi::Object::New(env);
  Napi::Array codecs = Napi::Array::New(env);
  uint32_t i = 0;
  for (const auto& codec : capabilities.codecs) {
    codecs.Set(i++, CodecToJs(env, codec.mime_type(), codec.clock_rate, codec.num_channels,
                              codec.parameters));
  }
  o.Set("codecs", codecs);
  Napi::Array extensions = Napi::Array::New(env);
  i = 0;
  for (const auto& extension : capabilities.header_extensions) {
    Napi::Object e = Napi::Object::New(env);
    e.Set("uri", extension.uri);
    extensions.Set(i++, e);
  }
  o.Set("headerExtensions", extensions);
  return o;
}

Napi::Object ToJs(Napi::Env env, const webrtc::RtpParameters& parameters, bool sender) {
  Napi::Object o = Napi::Object::New(env);
  if (sender) {
    o.Set("transactionId", parameters.transaction_id);
    Napi::Array encodings = Napi::Array::New(env);
    uint32_t i = 0;
    for (const auto& encoding : parameters.encodings) {
      Napi::Object e = Napi::Object::New(env);
      if (!encoding.rid.empty()) e.Set("rid", encoding.rid);
      e.Set("active", encoding.active);
      if (encoding.max_bitrate_bps) e.Set("maxBitrate", *encoding.max_bitrate_bps);
      if (encoding.max_framerate) e.Set("maxFramerate", *encoding.max_framerate);
      if (encoding.scale_resolution_down_by) {
        e.Set("scaleResolutionDownBy", *encoding.scale_resolution_down_by);
      }
      e.Set("priority", PriorityName(encoding.bitrate_priority));
      e.Set("networkPriority", ToString(encoding.network_priority));
      encodings.Set(i++, e);
    }
    o.Set("encodings", encodings);
    if (parameters.degradation_preference) {
      const char* preference = nullptr;
      switch (*parameters.degradation_preference) {
        case webrtc::DegradationPreference::MAINTAIN_FRAMERATE:
          preference = "maintain-framerate";
          break;
        case webrtc::DegradationPreference::MAINTAIN_RESOLUTION:
          preference = "maintain-resolution";
          break;
        case webrtc::DegradationPreference::BALANCED:
          preference = "balanced";
          break;
        case webrtc::DegradationPreference::DISABLED:
          break;
      }
      if (preference) o.Set("degradationPreference", preference);
    }
  }
  Napi::Array extensions = Napi::Array::New(env);
  uint32_t i = 0;
  for (const auto& extension : parameters.header_extensions) {
    Napi::Object e = Napi::Object::New(env);
    e.Set("uri", extension.uri);
    e.Set("id", extension.id);
    e.Set("encrypted", extension.encrypt);
    extensions.Set(i++, e);
  }
  o.Set("headerExtensions", extensions);
  Napi::Object rtcp = Napi::Object::New(env);
  rtcp.Set("cname", parameters.rtcp.cname);
  rtcp.Set("reducedSize", parameters.rtcp.reduced_size);
  o.Set("rtcp", rtcp);
  Napi::Array codecs = Napi::Array::New(env);
  i = 0;
  for (const auto& codec : parameters.codecs) {
    Napi::Object c =
        CodecToJs(env, codec.mime_type(), codec.clock_rate, codec.num_channels, codec.parameters);
    c.Set("payloadType", codec.payload_type);
    codecs.Set(i++, c);
  }
  o.Set("codecs", codecs);
  return o;
}

bool ToCodecCapability(const Napi::Value& value, webrtc::RtpCodecCapability* capability) {
  if (!value.IsObject()) return false;
  Napi::Object record = value.As<Napi::Object>();
  std::string mime_type = GetString(record, "mimeType");
  size_t slash = mime_type.find('/');
  if (slash == std::string::npos) return false;
  std::string kind = mime_type.substr(0, slash);
  if (kind == "audio") {
    capability->kind = cricket::MEDIA_TYPE_AUDIO;
  } else if (kind == "video") {
    capability->kind = cricket::MEDIA_TYPE_VIDEO;
  } else {
    return false;
  }
  capability->name = mime_type.substr(slash + 1);
  int clock_rate = GetInt(record, "clockRate", -1);
  if (clock_rate >= 0) capability->clock_rate = clock_rate;
  int channels = GetInt(record, "channels", -1);
  if (channels >= 0) capability->num_channels = channels;
  std::string fmtp = GetString(record, "sdpFmtpLine");
  size_t start = 0;
  while (start < fmtp.size()) {
    size_t end = fmtp.find(';', start);
    if (end == std::string::npos) end = fmtp.size();
    std::string item = fmtp.substr(start, end - start);
    size_t eq = item.find('=');
    if (eq == std::string::npos) {
      capability->parameters[""] = item;
    } else {
      capability->parameters[item.substr(0, eq)] = item.substr(eq + 1);
    }
    start = end + 1;
  }
  return true;
}

namespace {
void ReadEncoding(const Napi::Object& e, webrtc::RtpEncodingParameters* encoding) {
  Napi::Value active = e.Get("active");
  if (active.IsBoolean()) encoding->active = active.As<Napi::Boolean>().Value();
  Napi::Value max_bitrate = e.Get("maxBitrate");
  encoding->max_bitrate_bps = max_bitrate.IsNumber()
                                  ? absl::optional<int>(max_bitrate.As<Napi::Number>().Int32Value())
                                  : absl::nullopt;
  Napi::Value max_framerate = e.Get("maxFramerate");
  encoding->max_framerate =
      max_framerate.IsNumber()
          ? absl::optional<double>(max_framerate.As<Napi::Number>().DoubleValue())
          : absl::nullopt;
  Napi::Value scale = e.Get("scaleResolutionDownBy");
  encoding->scale_resolution_down_by =
      scale.IsNumber() ? absl::optional<double>(scale.As<Napi::Number>().DoubleValue())
                       : absl::nullopt;
  std::string priority = GetString(e, "priority");
  if (!priority.empty()) encoding->bitrate_priority = BitratePriority(priority);
  std::string network_priority = GetString(e, "networkPriority");
  if (!network_priority.empty()) encoding->network_priority = ParsePriority(network_priority);
}
}  // namespace

void ApplySendParameters(const Napi::Object& record, webrtc::RtpParameters* parameters) {
  Napi::Value encodings = record.Get("encodings");
  if (encodings.IsArray()) {
    Napi::Array list = encodings.As<Napi::Array>();
    for (uint32_t i = 0; i < list.Length() && i < parameters->encodings.size(); ++i) {
      Napi::Value e = list.Get(i);
      if (e.IsObject()) ReadEncoding(e.As<Napi::Object>(), &parameters->encodings[i]);
    }
  }
  std::string preference = GetString(record, "degradationPreference");
  if (preference == "maintain-framerate") {
    parameters->degradation_preference = webrtc::DegradationPreference::MAINTAIN_FRAMERATE;
  } else if (preference == "maintain-resolution") {
    parameters->degradation_preference = webrtc::DegradationPreference::MAINTAIN_RESOLUTION;
  } else if (preference == "balanced") {
    parameters->degradation_preference = webrtc::DegradationPreference::BALANCED;
  }
}

std::vector<webrtc::RtpEncodingParameters> ToEncodings(const Napi::Value& value) {
  std::vector<webrtc::RtpEncodingParameters> encodings;
  if (!value.IsArray()) return encodings;
  Napi::Array list = value.As<Napi::Array>();
  for (uint32_t i = 0; i < list.Length(); ++i) {
    Napi::Value e = list.Get(i);
    if (!e.IsObject()) continue;
    webrtc::RtpEncodingParameters encoding;
    encoding.rid = GetString(e.As<Napi::Object>(), "rid");
    ReadEncoding(e.As<Napi::Object>(), &encoding);
    encodings.push_back(std::move(encoding));
  }
  return encodings;
}

webrtc::RtpTransceiverDirection ParseDirection(const std::string& s) {
  if (s == "sendonly") return webrtc::RtpTransceiverDirection::kSendOnly;
  if (s == "recvonly") return webrtc::RtpTransceiverDirection::kRecvOnly;
  if (s == "inactive") return webrtc::RtpTransceiverDirection::kInactive;
  return webrtc::RtpTransceiverDirection::kSendRecv;
}

const char* ToString(webrtc::RtpTransceiverDirection direction) {
  switch (direction) {
    case webrtc::RtpTransceiverDirection::kSendRecv:
      return "sendrecv";
    case webrtc::RtpTransceiverDirection::kSendOnly:
      return "sendonly";
    case webrtc::RtpTransceiverDirection::kRecvOnly:
      return "recvonly";
    case webrtc::RtpTransceiverDirection::kInactive:
      return "inactive";
    case webrtc::RtpTransceiverDirection::kStopped:
      break;
  }
  return "stopped";
}

}  // namespace lwn
