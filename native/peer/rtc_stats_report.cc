// RTCPeerConnection's statistics (webrtc-stats): getStats() for the whole connection or with a
// sender or receiver as selector (the spec's stats selection algorithm, done by libwebrtc).
#include "api/stats/rtc_stats_collector_callback.h"
#include "api/stats/rtc_stats_report.h"
#include "media/rtc_rtp_transceiver.h"
#include "peer/rtc_peer_connection.h"

namespace lwn {

namespace {

template <typename T>
Napi::Array ToJsArray(Napi::Env env, const std::vector<T>& values) {
  Napi::Array array = Napi::Array::New(env, values.size());
  for (uint32_t i = 0; i < values.size(); ++i) {
    if constexpr (std::is_same_v<T, std::string>) {
      array.Set(i, values[i]);
    } else if constexpr (std::is_same_v<T, bool>) {
      array.Set(i, static_cast<bool>(values[i]));
    } else {
      array.Set(i, static_cast<double>(values[i]));
    }
  }
  return array;
}

template <typename T>
Napi::Object ToJsRecord(Napi::Env env, const std::map<std::string, T>& values) {
  Napi::Object o = Napi::Object::New(env);
  for (const auto& [key, value] : values) o.Set(key, static_cast<double>(value));
  return o;
}

// One member as the browser exposes it: numbers (64-bit ones too) as Number, sequences as
// arrays, maps as records.
Napi::Value MemberToJs(Napi::Env env, const webrtc::RTCStatsMemberInterface& member) {
  using M = webrtc::RTCStatsMemberInterface;
  switch (member.type()) {
    case M::kBool:
      return Napi::Boolean::New(env, *member.cast_to<webrtc::RTCStatsMember<bool>>());
    case M::kInt32:
      return Napi::Number::New(env, *member.cast_to<webrtc::RTCStatsMember<int32_t>>());
    case M::kUint32:
      return Napi::Number::New(env, *member.cast_to<webrtc::RTCStatsMember<uint32_t>>());
    case M::kInt64:
      return Napi::Number::New(
          env, static_cast<double>(*member.cast_to<webrtc::RTCStatsMember<int64_t>>()));
    case M::kUint64:
      return Napi::Number::New(
          env, static_cast<double>(*member.cast_to<webrtc::RTCStatsMember<uint64_t>>()));
    case M::kDouble:
      return Napi::Number::New(env, *member.cast_to<webrtc::RTCStatsMember<double>>());
    case M::kString:
      return Napi::String::New(env, *member.cast_to<webrtc::RTCStatsMember<std::string>>());
    case M::kSequenceBool:
      return ToJsArray(env, *member.cast_to<webrtc::RTCStatsMember<std::vector<bool>>>());
    case M::kSequenceInt32:
      return ToJsArray(env, *member.cast_to<webrtc::RTCStatsMember<std::vector<int32_t>>>());
    case M::kSequenceUint32:
      return ToJsArray(env, *member.cast_to<webrtc::RTCStatsMember<std::vector<uint32_t>>>());
    case M::kSequenceInt64:
      return ToJsArray(env, *member.cast_to<webrtc::RTCStatsMember<std::vector<int64_t>>>());
    case M::kSequenceUint64:
      return ToJsArray(env, *member.cast_to<webrtc::RTCStatsMember<std::vector<uint64_t>>>());
    case M::kSequenceDouble:
      return ToJsArray(env, *member.cast_to<webrtc::RTCStatsMember<std::vector<double>>>());
    case M::kSequenceString:
      return ToJsArray(env, *member.cast_to<webrtc::RTCStatsMember<std::vector<std::string>>>());
    case M::kMapStringUint64:
      return ToJsRecord(env,
                        *member.cast_to<webrtc::RTCStatsMember<std::map<std::string, uint64_t>>>());
    case M::kMapStringDouble:
      return ToJsRecord(env,
                        *member.cast_to<webrtc::RTCStatsMember<std::map<std::string, double>>>());
  }
  return env.Undefined();
}

// [{ id, type, timestamp, ...members }]: the standardized members libwebrtc has a value for,
// as Chromium exposes them. timestamp: milliseconds since the epoch.
Napi::Array ReportToJs(Napi::Env env, const webrtc::RTCStatsReport& report) {
  Napi::Array list = Napi::Array::New(env);
  uint32_t i = 0;
  for (const webrtc::RTCStats& stats : report) {
    Napi::Object o = Napi::Object::New(env);
    o.Set("id", stats.id());
    o.Set("type", stats.type());
    o.Set("timestamp", static_cast<double>(stats.timestamp_us()) / 1000.0);
    for (const webrtc::RTCStatsMemberInterface* member : stats.Members()) {
      if (!member->is_defined() || !member->is_standardized()) continue;
      o.Set(member->name(), MemberToJs(env, *member));
    }
    list.Set(i++, o);
  }
  return list;
}

// libwebrtc calls it on the signaling thread. The report is immutable and reference-counted:
// it is read on the JS thread when the event is delivered.
class StatsCallback : public webrtc::RTCStatsCollectorCallback {
 public:
  StatsCallback(std::shared_ptr<PeerConnectionCore> core, int op_id)
      : core_(std::move(core)), op_id_(op_id) {}
  void OnStatsDelivered(const rtc::scoped_refptr<const webrtc::RTCStatsReport>& report) override {
    int op_id = op_id_;
    core_->events.Post([&] {
      return [op_id, report](Napi::Env env) -> Napi::Value {
        Napi::Object o = Napi::Object::New(env);
        o.Set("type", "operation");
        o.Set("opId", op_id);
        o.Set("error", env.Null());
        o.Set("stats", ReportToJs(env, *report));
        return o;
      };
    });
  }

 private:
  std::shared_ptr<PeerConnectionCore> core_;
  int op_id_;
};

}  // namespace

// getStats(opId, selector: RtpSender | RtpReceiver | null): the report arrives as the
// operation's completion.
Napi::Value RTCPeerConnection::GetStats(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!CheckOpen(env)) return env.Undefined();
  int op_id = info[0].ToNumber().Int32Value();
  auto callback = rtc::make_ref_counted<StatsCallback>(core_, op_id);
  if (RTCRtpSender* sender = RTCRtpSender::FromValue(info[1])) {
    if (sender->core()->sender) {
      core_->pc->GetStats(sender->core()->sender, callback);
      return env.Undefined();
    }
  } else if (RTCRtpReceiver* receiver = RTCRtpReceiver::FromValue(info[1])) {
    if (receiver->core()->receiver) {
      core_->pc->GetStats(receiver->core()->receiver, callback);
      return env.Undefined();
    }
  }
  core_->pc->GetStats(callback.get());
  return env.Undefined();
}

}  // namespace lwn
