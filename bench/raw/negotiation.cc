// Raw libwebrtc baseline for bench/negotiation.js: the same three figures, measured with
// libwebrtc's C++ API directly (Debian's libtgowt, about M108), two PeerConnections in one
// process.
//
//   negotiation [--iterations N] [--connect-iterations N] [--warmup N] [--samples]
//
// Prints one JSON document on stdout, the shape bench/negotiation.js prints, under the key
// "raw-libtgowt" ("raw-libtgowt-srtp-init-once" with --srtp-init-once: see Runtime in
// common.h); with --samples each figure also carries its samples ("samples_ms").
//
// - createAnswer: a fresh pair per iteration, the offerer with one data channel + an audio and
//   a video transceiver; offerer CreateOffer/SetLocalDescription, answerer
//   SetRemoteDescription, then CreateAnswer timed from the call to the observer's OnSuccess.
// - exchange: CreateOffer -> offerer SLD -> answerer SRD -> CreateAnswer -> answerer SLD ->
//   offerer SRD, timed on the calling thread (descriptions cross as SDP strings, as they do in
//   a JS binding).
// - connect: from constructing both peers (the offerer with a data channel, candidates
//   trickled directly) to both standardized ICE states connected/completed, and to the data
//   channel open on both sides.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "api/data_channel_interface.h"
#include "api/peer_connection_interface.h"
#include "common.h"

using namespace rawbench;  // NOLINT: common.h's pieces, used throughout as this program's own

namespace {

using webrtc::PeerConnectionInterface;

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// What one connect iteration waits for, set from libwebrtc's threads.
struct ConnectState : ConnectWait {
  std::optional<Clock::time_point> ice[2];
  std::optional<Clock::time_point> open[2];

  void Mark(std::optional<Clock::time_point>& slot) {
    std::lock_guard<std::mutex> lock(mutex);
    if (!slot) slot = Clock::now();
    cv.notify_all();
  }
};

class ChannelObserver : public webrtc::DataChannelObserver {
 public:
  ChannelObserver(rtc::scoped_refptr<webrtc::DataChannelInterface> channel, ConnectState* state,
                  int side)
      : channel_(std::move(channel)), state_(state), side_(side) {
    channel_->RegisterObserver(this);
    OnStateChange();  // it may already be open
  }
  ~ChannelObserver() override { channel_->UnregisterObserver(); }
  void OnStateChange() override {
    if (channel_->state() == webrtc::DataChannelInterface::kOpen) {
      state_->Mark(state_->open[side_]);
    }
  }
  void OnMessage(const webrtc::DataBuffer&) override {}

 private:
  rtc::scoped_refptr<webrtc::DataChannelInterface> channel_;
  ConnectState* state_;
  int side_;
};

class PeerObserver : public TricklingObserver {
 public:
  PeerObserver(Trickle* outgoing, ConnectState* state, int side)
      : TricklingObserver(outgoing), state_(state), side_(side) {}
  ~PeerObserver() override {
    std::lock_guard<std::mutex> lock(mutex_);
    channels_.clear();
  }

  void OnDataChannel(rtc::scoped_refptr<webrtc::DataChannelInterface> channel) override {
    if (!state_) return;
    auto observer = std::make_unique<ChannelObserver>(channel, state_, side_);
    std::lock_guard<std::mutex> lock(mutex_);
    channels_.push_back(std::move(observer));
  }
  void OnStandardizedIceConnectionChange(PeerConnectionInterface::IceConnectionState s) override {
    if (!state_) return;
    if (s == PeerConnectionInterface::kIceConnectionConnected ||
        s == PeerConnectionInterface::kIceConnectionCompleted) {
      state_->Mark(state_->ice[side_]);
    } else if (s == PeerConnectionInterface::kIceConnectionFailed) {
      state_->Fail("ICE failed");
    }
  }
  // The channels this side was given (kept so their observers stay registered).
  void ReleaseChannels() {
    std::lock_guard<std::mutex> lock(mutex_);
    channels_.clear();
  }

 private:
  ConnectState* state_;
  int side_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<ChannelObserver>> channels_;
};

// --- the measurements ------------------------------------------------------------------------

struct ExchangeResult {
  double create_answer_ms;
  double exchange_ms;
};

ExchangeResult ExchangeOnce(Runtime& rt) {
  PeerObserver offerer_observer(nullptr, nullptr, 0);
  PeerObserver answerer_observer(nullptr, nullptr, 1);
  auto offerer = rt.CreatePeer(&offerer_observer);
  auto answerer = rt.CreatePeer(&answerer_observer);
  ExchangeResult r{};
  std::exception_ptr error;
  try {
    webrtc::DataChannelInit init;
    auto dc = offerer->CreateDataChannelOrError("bench", &init);
    if (!dc.ok())
      throw std::runtime_error(std::string("createDataChannel: ") + dc.error().message());
    if (!offerer->AddTransceiver(cricket::MEDIA_TYPE_AUDIO).ok() ||
        !offerer->AddTransceiver(cricket::MEDIA_TYPE_VIDEO).ok()) {
      throw std::runtime_error("addTransceiver failed");
    }
    const auto t0 = Clock::now();
    OfferAnswer(offerer.get(), answerer.get(), nullptr, nullptr, &r.create_answer_ms);
    r.exchange_ms = Ms(Clock::now() - t0);
  } catch (...) {
    error = std::current_exception();
  }
  offerer->Close();
  answerer->Close();
  offerer = nullptr;
  answerer = nullptr;
  rt.Flush();  // nothing may reach the observers after this
  if (error) std::rethrow_exception(error);
  return r;
}

struct ConnectResult {
  double ice_ms;
  double open_ms;
};

ConnectResult ConnectOnce(Runtime& rt) {
  ConnectState state;
  Trickle to_b, to_a;
  PeerObserver obs_a(&to_b, &state, 0);
  PeerObserver obs_b(&to_a, &state, 1);
  std::unique_ptr<ChannelObserver> channel_a;
  rtc::scoped_refptr<PeerConnectionInterface> a, b;

  const auto t0 = Clock::now();
  std::exception_ptr error;
  ConnectResult r{};
  try {
    a = rt.CreatePeer(&obs_a);
    b = rt.CreatePeer(&obs_b);
    to_b.SetTarget(b);
    to_a.SetTarget(a);
    webrtc::DataChannelInit init;
    auto dc = a->CreateDataChannelOrError("bench", &init);
    if (!dc.ok())
      throw std::runtime_error(std::string("createDataChannel: ") + dc.error().message());
    channel_a = std::make_unique<ChannelObserver>(dc.MoveValue(), &state, 0);

    OfferAnswer(a.get(), b.get(), &to_b, &to_a, nullptr);

    std::unique_lock<std::mutex> lock(state.mutex);
    const bool done = state.Wait(
        lock, [&] { return state.ice[0] && state.ice[1] && state.open[0] && state.open[1]; });
    if (!done) {
      throw std::runtime_error(
          std::string("not connected after 10 s (ice ") + (state.ice[0] ? "up" : "down") + "/" +
          (state.ice[1] ? "up" : "down") + ", open " + (state.open[0] ? "yes" : "no") + "/" +
          (state.open[1] ? "yes" : "no") + ")");
    }
    r.ice_ms = Ms(std::max(*state.ice[0], *state.ice[1]) - t0);
    r.open_ms = Ms(std::max(*state.open[0], *state.open[1]) - t0);
  } catch (...) {
    error = std::current_exception();
  }
  to_a.Close();
  to_b.Close();
  if (a) a->Close();
  if (b) b->Close();
  channel_a.reset();
  obs_a.ReleaseChannels();
  obs_b.ReleaseChannels();
  a = nullptr;
  b = nullptr;
  rt.Flush();  // pending AddIceCandidate callbacks and observer calls have run
  if (error) std::rethrow_exception(error);
  return r;
}

// --- output ----------------------------------------------------------------------------------

std::string Summary(std::vector<double> s, int failures, bool with_samples) {
  std::string out = "{";
  char buf[128];
  std::vector<double> sorted = s;
  std::sort(sorted.begin(), sorted.end());
  const size_t n = sorted.size();
  auto round3 = [](double x) { return std::round(x * 1000.0) / 1000.0; };
  if (n == 0) {
    out += "\"median_ms\": null, \"p95_ms\": null, \"n\": 0";
  } else {
    const double median = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    const size_t rank = static_cast<size_t>(std::ceil(0.95 * static_cast<double>(n)));
    const double p95 = sorted[std::min(n - 1, rank == 0 ? 0 : rank - 1)];
    std::snprintf(buf, sizeof buf, "\"median_ms\": %.3f, \"p95_ms\": %.3f, \"n\": %zu",
                  round3(median), round3(p95), n);
    out += buf;
  }
  if (failures) {
    std::snprintf(buf, sizeof buf, ", \"failures\": %d", failures);
    out += buf;
  }
  if (with_samples) {
    out += ", \"samples_ms\": [";
    for (size_t i = 0; i < s.size(); i++) {
      std::snprintf(buf, sizeof buf, "%s%.4f", i ? ", " : "", s[i]);
      out += buf;
    }
    out += "]";
  }
  return out + "}";
}

int ParseCount(const char* flag, const char* value) {
  RequireValue(flag, value);
  char* end = nullptr;
  const long v = std::strtol(value, &end, 10);
  if (*value == '\0' || *end != '\0' || v < 0 || v > 1000000) {
    std::fprintf(stderr, "%s wants a non-negative integer, got '%s'\n", flag, value);
    std::exit(64);
  }
  return static_cast<int>(v);
}

}  // namespace

int main(int argc, char** argv) {
  int iterations = 200, connect_iterations = 30, warmup = 5;
  bool with_samples = false;
  bool srtp_init_once = false;
  rtc::LoggingSeverity log_level = rtc::LS_NONE;
  for (int i = 1; i < argc; i++) {
    const char* a = argv[i];
    if (!std::strcmp(a, "--iterations")) {
      iterations = ParseCount(a, i + 1 < argc ? argv[++i] : nullptr);
    } else if (!std::strcmp(a, "--connect-iterations")) {
      connect_iterations = ParseCount(a, i + 1 < argc ? argv[++i] : nullptr);
    } else if (!std::strcmp(a, "--warmup")) {
      warmup = ParseCount(a, i + 1 < argc ? argv[++i] : nullptr);
    } else if (!std::strcmp(a, "--samples")) {
      with_samples = true;
    } else if (!std::strcmp(a, "--srtp-init-once")) {
      srtp_init_once = true;
    } else if (!std::strcmp(a, "--log") && i + 1 < argc) {
      log_level = ParseLogLevel(argv[++i]);
    } else {
      std::fprintf(stderr,
                   "usage: %s [--iterations N] [--connect-iterations N] [--warmup N] [--samples]"
                   " [--srtp-init-once] [--log none|error|warning|info|verbose]\n",
                   argv[0]);
      return std::strcmp(a, "--help") && std::strcmp(a, "-h") ? 64 : 0;
    }
  }

  const char* key = srtp_init_once ? "raw-libtgowt-srtp-init-once" : "raw-libtgowt";
  std::vector<double> create_answer, exchange, connect_ice, connect_open;
  int connect_failures = 0;
  int exit_code = 0;
  {
    Runtime rt(log_level, srtp_init_once);
    try {
      std::fprintf(stderr, "%s: warm-up\n", key);
      for (int i = 0; i < warmup; i++) ExchangeOnce(rt);
      for (int i = 0; i < std::min(warmup, 2); i++) ConnectOnce(rt);

      std::fprintf(stderr, "%s: createAnswer + exchange: %d iterations\n", key, iterations);
      for (int i = 0; i < iterations; i++) {
        const auto r = ExchangeOnce(rt);
        create_answer.push_back(r.create_answer_ms);
        exchange.push_back(r.exchange_ms);
      }
      std::fprintf(stderr, "%s: connect: %d iterations\n", key, connect_iterations);
      for (int i = 0; i < connect_iterations; i++) {
        try {
          const auto r = ConnectOnce(rt);
          connect_ice.push_back(r.ice_ms);
          connect_open.push_back(r.open_ms);
        } catch (const std::exception& e) {
          connect_failures++;
          std::fprintf(stderr, "%s: connect iteration %d failed: %s\n", key, i, e.what());
        }
      }
    } catch (const std::exception& e) {
      std::fprintf(stderr, "%s: error: %s\n", key, e.what());
      exit_code = 1;
    }
  }
  if (exit_code) return exit_code;

  std::printf(
      "{\n  \"machine\": %s,\n"
      "  \"results\": {\n    \"%s\": {\n"
      "      \"createAnswer\": %s,\n      \"exchange\": %s,\n"
      "      \"connect_ice\": %s,\n      \"connect_datachannel_open\": %s\n    }\n  }\n}\n",
      MachineJson().c_str(), key, Summary(create_answer, 0, with_samples).c_str(),
      Summary(exchange, 0, with_samples).c_str(),
      Summary(connect_ice, connect_failures, with_samples).c_str(),
      Summary(connect_open, connect_failures, with_samples).c_str());
  return 0;
}
