// Raw libwebrtc baseline for bench/datachannel.js: the same measurements with libwebrtc's C++
// API directly (Debian's libtgowt, about M108), two PeerConnections in one process over
// loopback.
//
//   datachannel [--tests a,b] [--runs N] [--seconds S] [--max-bytes N] [--low N] [--high N]
//               [--slice-ms MS] [--thread-cpu] [--log none|error|warning|info|verbose]
//
// Prints one JSON document on stdout, the shape bench/datachannel.js prints, under the key
// "raw-libtgowt"; progress goes to stderr. Tests: throughput_64KiB, throughput_16KiB (until
// --seconds or --max-bytes sent), message_rate_100B (for --seconds).
//
// Each run: a fresh pair (not timed), one ordered, reliable channel A→B. The send loop runs on
// the signaling thread (where M108's SctpDataChannel lives): a task sends while
// buffered_amount() + size <= high; when it is not, it waits, and the sender's
// OnBufferedAmountChange posts the next task once buffered_amount() <= low (the same pacing as
// bufferedAmountLowThreshold/bufferedamountlow in the JS bench). A task also yields (posts its
// continuation) after --slice-ms, so the receiver's OnMessage — the same thread — is not held
// off while the sender fills the window. Every message is a fresh buffer copied from the
// payload, as a binding copies from JS memory. B's OnMessage counts what arrives; the run ends
// when B has received everything A sent. CPU: getrusage(RUSAGE_SELF) (every thread) over the
// same interval as the time, from the first send to the last message received. --thread-cpu:
// each run also reports CPU ms per thread name (/proc/self/task), as bench/datachannel.js does.
//
// libsrtp is initialised once for the process (as negotiation's --srtp-init-once): Debian's
// NSS-backed libsrtp2 re-initialises NSS for tens of ms whenever the first SRTP session of the
// process is set up. It only affects connecting, which is not timed here.
//
// Threads: libtgowt's thread checks are live (DCHECKs abort). Peer connections and channels are
// used through their proxies from the main thread, and directly only on the signaling thread.

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "api/data_channel_interface.h"
#include "api/peer_connection_interface.h"
#include "rtc_base/copy_on_write_buffer.h"
#include "common.h"

using namespace rawbench;  // NOLINT: common.h's pieces, used throughout as this program's own

namespace {

using webrtc::DataChannelInterface;
using webrtc::PeerConnectionInterface;

constexpr uint64_t KiB = 1024;
constexpr uint64_t MiB = 1024 * 1024;

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

int64_t CpuMicros() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return (static_cast<int64_t>(ru.ru_utime.tv_sec) + ru.ru_stime.tv_sec) * 1000000 +
         ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
}

// CPU ms (user + system) per thread name of this process, from /proc.
std::map<std::string, double> ThreadCpu() {
  std::map<std::string, double> out;
  const double ms_per_tick = 1000.0 / static_cast<double>(sysconf(_SC_CLK_TCK));
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/task", ec)) {
    std::ifstream in(entry.path() / "stat");
    std::string stat;
    if (!std::getline(in, stat)) continue;  // the thread ended
    const size_t open = stat.find('('), close = stat.rfind(')');
    if (open == std::string::npos || close == std::string::npos || close + 2 > stat.size())
      continue;
    const std::string name = stat.substr(open + 1, close - open - 1);
    std::vector<std::string> fields;
    size_t pos = close + 2;
    while (pos < stat.size()) {
      const size_t space = std::min(stat.find(' ', pos), stat.size());
      fields.push_back(stat.substr(pos, space - pos));
      pos = space + 1;
    }
    if (fields.size() < 13) continue;
    out[name] += (std::stod(fields[11]) + std::stod(fields[12])) * ms_per_tick;
  }
  return out;
}

// --- one run ---------------------------------------------------------------------------------

struct Params {
  size_t size;
  double seconds;
  uint64_t max_bytes;  // 0: no limit
  uint64_t low, high;
  Clock::duration slice;
  bool thread_cpu;
};

struct Counts {
  double seconds = 0;
  uint64_t bytes_sent = 0, bytes_received = 0;
  uint64_t messages_sent = 0, messages_received = 0;
  int64_t cpu_us = 0;
  std::map<std::string, int64_t> thread_cpu_ms;  // with --thread-cpu
};

// Everything one run shares between its threads. The measurement state is touched on the
// signaling thread only (the send loop, both channels' observers); the main thread reads it
// after `done` is set, or through a blocking call on the signaling thread.
struct RunState : ConnectWait {
  // Connecting: set from the signaling thread, waited for on the main thread.
  bool open[2] = {false, false};

  void MarkOpen(int side) {
    std::lock_guard<std::mutex> lock(mutex);
    open[side] = true;
    cv.notify_all();
  }

  // Measuring (signaling thread).
  bool running = false;
  bool send_done = false;
  bool finished = false;
  bool waiting = false;      // the send loop stopped at the high-water mark
  bool pump_posted = false;  // a send-loop task is queued
  Clock::time_point t0, deadline, t_end;
  int64_t cpu0 = 0, cpu1 = 0;
  bool thread_cpu = false;
  std::map<std::string, double> threads0, threads1;
  Counts counts;
  std::promise<void> done;
};

class Receiver : public webrtc::DataChannelObserver {
 public:
  Receiver(rtc::scoped_refptr<DataChannelInterface> channel, RunState* state)
      : channel_(std::move(channel)), state_(state) {}
  // Signaling thread (from OnDataChannel), or the main thread through the proxy.
  void Register() {
    channel_->RegisterObserver(this);
    OnStateChange();
  }
  void Unregister() { channel_->UnregisterObserver(); }

  void OnStateChange() override {
    const auto s = channel_->state();
    if (s == DataChannelInterface::kOpen) state_->MarkOpen(1);
    if (s == DataChannelInterface::kClosed && state_->running && !state_->finished) {
      state_->finished = true;
      state_->done.set_exception(
          std::make_exception_ptr(std::runtime_error("channel B closed during the run")));
    }
  }
  void OnMessage(const webrtc::DataBuffer& buffer) override {
    RunState& s = *state_;
    s.counts.bytes_received += buffer.size();
    s.counts.messages_received++;
    if (s.send_done && !s.finished && s.counts.bytes_received >= s.counts.bytes_sent) Finish(s);
  }
  static void Finish(RunState& s) {
    s.finished = true;
    s.t_end = Clock::now();
    s.cpu1 = CpuMicros();
    if (s.thread_cpu) s.threads1 = ThreadCpu();
    s.done.set_value();
  }

 private:
  rtc::scoped_refptr<DataChannelInterface> channel_;
  RunState* state_;
};

class Sender : public webrtc::DataChannelObserver {
 public:
  Sender(rtc::scoped_refptr<DataChannelInterface> channel, RunState* state, rtc::Thread* signaling,
         const Params& params)
      : channel_(std::move(channel)), state_(state), signaling_(signaling), params_(params) {
    payload_.resize(params.size);
    for (size_t i = 0; i < payload_.size(); i++) payload_[i] = static_cast<uint8_t>(i);
  }
  // Main thread (proxy calls).
  void Register() { channel_->RegisterObserver(this); }
  void Unregister() { channel_->UnregisterObserver(); }

  // Main thread: starts the send loop on the signaling thread.
  void Start() {
    signaling_->PostTask([this] {
      RunState& s = *state_;
      s.running = true;
      s.thread_cpu = params_.thread_cpu;
      if (s.thread_cpu) s.threads0 = ThreadCpu();
      s.cpu0 = CpuMicros();
      s.t0 = Clock::now();
      s.deadline = s.t0 + std::chrono::duration_cast<Clock::duration>(
                              std::chrono::duration<double>(params_.seconds));
      Pump();
    });
  }

  void OnStateChange() override {
    const auto s = channel_->state();
    if (s == DataChannelInterface::kOpen) state_->MarkOpen(0);
    if (s == DataChannelInterface::kClosed && state_->running && !state_->finished) {
      state_->finished = true;
      state_->done.set_exception(
          std::make_exception_ptr(std::runtime_error("channel A closed during the run")));
    }
  }
  void OnMessage(const webrtc::DataBuffer&) override {}
  // Signaling thread; called for every message SCTP accepts, from Send() and from the
  // channel's queue draining. Never send from inside it (it is re-entered from Send()).
  void OnBufferedAmountChange(uint64_t) override {
    RunState& s = *state_;
    if (!s.waiting || s.pump_posted || s.send_done) return;
    if (channel_->buffered_amount() > params_.low) return;
    s.waiting = false;
    Post();
  }

 private:
  void Post() {
    state_->pump_posted = true;
    signaling_->PostTask([this] { Pump(); });
  }
  void EndSending() {
    RunState& s = *state_;
    s.send_done = true;
    if (!s.finished && s.counts.bytes_received >= s.counts.bytes_sent) Receiver::Finish(s);
  }
  // Signaling thread.
  void Pump() {
    RunState& s = *state_;
    s.pump_posted = false;
    if (s.send_done || s.finished) return;
    const auto start = Clock::now();
    if (start >= s.deadline) return EndSending();
    const uint64_t size = params_.size;
    for (uint64_t n = 1;; n++) {
      const uint64_t buffered = channel_->buffered_amount();
      if (buffered + size > params_.high) {
        if (buffered <= params_.low) {
          Post();  // cannot happen while high - low >= size; never wait for nothing
        } else {
          s.waiting = true;
        }
        return;
      }
      if (params_.max_bytes && s.counts.bytes_sent + size > params_.max_bytes) return EndSending();
      if (!channel_->Send(webrtc::DataBuffer(rtc::CopyOnWriteBuffer(payload_.data(), size),
                                             /*binary=*/true))) {
        s.finished = true;
        s.done.set_exception(std::make_exception_ptr(std::runtime_error("Send() failed")));
        return;
      }
      s.counts.bytes_sent += size;
      s.counts.messages_sent++;
      if (n % 64 == 0) {
        const auto now = Clock::now();
        if (now >= s.deadline) return EndSending();
        if (params_.slice.count() > 0 && now - start >= params_.slice) return Post();
      }
    }
  }

  rtc::scoped_refptr<DataChannelInterface> channel_;
  RunState* state_;
  rtc::Thread* signaling_;
  Params params_;
  std::vector<uint8_t> payload_;
};

class PeerObserver : public TricklingObserver {
 public:
  PeerObserver(Trickle* outgoing, RunState* state) : TricklingObserver(outgoing), state_(state) {}

  // Signaling thread: the receiving side's channel.
  void OnDataChannel(rtc::scoped_refptr<DataChannelInterface> channel) override {
    auto receiver = std::make_unique<Receiver>(channel, state_);
    receiver->Register();
    std::lock_guard<std::mutex> lock(mutex_);
    receivers_.push_back(std::move(receiver));
  }
  void OnStandardizedIceConnectionChange(PeerConnectionInterface::IceConnectionState s) override {
    if (s == PeerConnectionInterface::kIceConnectionFailed) state_->Fail("ICE failed");
  }
  // Main thread, before the connections close.
  void UnregisterReceivers() {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& r : receivers_) r->Unregister();
  }

 private:
  RunState* state_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Receiver>> receivers_;
};

Counts MeasureOnce(Runtime& rt, const Params& params) {
  RunState state;
  Trickle to_b, to_a;
  PeerObserver obs_a(&to_b, &state);
  PeerObserver obs_b(&to_a, &state);
  std::unique_ptr<Sender> sender;
  rtc::scoped_refptr<PeerConnectionInterface> a, b;
  std::exception_ptr error;
  Counts counts;
  try {
    a = rt.CreatePeer(&obs_a);
    b = rt.CreatePeer(&obs_b);
    to_b.SetTarget(b);
    to_a.SetTarget(a);
    webrtc::DataChannelInit init;  // ordered, reliable
    auto dc = a->CreateDataChannelOrError("bench", &init);
    if (!dc.ok())
      throw std::runtime_error(std::string("createDataChannel: ") + dc.error().message());
    sender = std::make_unique<Sender>(dc.MoveValue(), &state, rt.signaling(), params);
    sender->Register();

    OfferAnswer(a.get(), b.get(), &to_b, &to_a, nullptr);
    {
      std::unique_lock<std::mutex> lock(state.mutex);
      const bool open = state.Wait(lock, [&] { return state.open[0] && state.open[1]; });
      if (!open) throw std::runtime_error("channel not open after 10 s");
    }

    auto done = state.done.get_future();
    sender->Start();
    const auto limit = std::chrono::duration<double>(params.seconds) + std::chrono::seconds(40);
    if (done.wait_for(limit) != std::future_status::ready) {
      const Counts now = rt.signaling()->BlockingCall([&] { return state.counts; });
      throw std::runtime_error("run did not complete (sent " + std::to_string(now.bytes_sent) +
                               ", received " + std::to_string(now.bytes_received) + ")");
    }
    done.get();  // rethrows a failure
    counts = state.counts;
    counts.seconds = Seconds(state.t_end - state.t0);
    counts.cpu_us = state.cpu1 - state.cpu0;
    for (const auto& [name, ms] : state.threads1) {
      const auto delta = static_cast<int64_t>(std::llround(ms - state.threads0[name]));
      if (delta > 0) counts.thread_cpu_ms[name] = delta;
    }
  } catch (...) {
    error = std::current_exception();
  }
  // Stop the send loop and the counting before the observers go.
  rt.signaling()->BlockingCall([&] {
    state.send_done = true;
    state.finished = true;
  });
  if (sender) sender->Unregister();
  obs_a.UnregisterReceivers();
  obs_b.UnregisterReceivers();
  to_a.Close();
  to_b.Close();
  if (a) a->Close();
  if (b) b->Close();
  a = nullptr;
  b = nullptr;
  rt.Flush();  // pending send-loop tasks and observer calls have run
  sender.reset();
  if (error) std::rethrow_exception(error);
  return counts;
}

// --- output ----------------------------------------------------------------------------------

struct Test {
  const char* name;
  size_t size;
  bool limit_bytes;
};
constexpr Test kTests[] = {
    {"throughput_64KiB", 64 * KiB, true},
    {"throughput_16KiB", 16 * KiB, true},
    {"message_rate_100B", 100, false},
};

std::string Num(double v, int digits) {
  if (!std::isfinite(v)) return "null";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

double Median(std::vector<double> v) {
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// The same figures bench/datachannel.js derives from each run's counts.
std::string Summary(const std::vector<Counts>& runs, const std::vector<std::string>& failures) {
  std::vector<double> mbps, mps, cpu_mb, cpu_msg;
  std::string list;
  for (const Counts& c : runs) {
    const bool ok = c.bytes_received == c.bytes_sent && c.messages_received == c.messages_sent;
    const double r_mbps = c.bytes_received / 1e6 / c.seconds;
    const double r_mps = c.messages_received / c.seconds;
    const double r_cpu_mb = c.bytes_received ? c.cpu_us / (c.bytes_received / 1e6) : NAN;
    const double r_cpu_msg = c.messages_received ? double(c.cpu_us) / c.messages_received : NAN;
    if (ok) {
      mbps.push_back(r_mbps);
      mps.push_back(r_mps);
      cpu_mb.push_back(r_cpu_mb);
      cpu_msg.push_back(r_cpu_msg);
    }
    if (!list.empty()) list += ", ";
    list += "{\"seconds\": " + Num(c.seconds, 6) +
            ", \"bytes_sent\": " + std::to_string(c.bytes_sent) +
            ", \"bytes_received\": " + std::to_string(c.bytes_received) +
            ", \"messages_sent\": " + std::to_string(c.messages_sent) +
            ", \"messages_received\": " + std::to_string(c.messages_received) +
            ", \"cpu_us\": " + std::to_string(c.cpu_us) + ", \"ok\": " + (ok ? "true" : "false") +
            ", \"MB_per_s\": " + Num(r_mbps, 3) + ", \"messages_per_s\": " + Num(r_mps, 1) +
            ", \"cpu_us_per_MB\": " + Num(r_cpu_mb, 1) +
            ", \"cpu_us_per_message\": " + Num(r_cpu_msg, 3);
    if (!c.thread_cpu_ms.empty()) {
      list += ", \"thread_cpu_ms\": {";
      bool first = true;
      for (const auto& [name, ms] : c.thread_cpu_ms) {
        list += (first ? "" : ", ") + JsonString(name) + ": " + std::to_string(ms);
        first = false;
      }
      list += "}";
    }
    list += "}";
  }
  std::string out = "{\"median\": {\"MB_per_s\": " + Num(Median(mbps), 3) +
                    ", \"messages_per_s\": " + Num(Median(mps), 1) +
                    ", \"cpu_us_per_MB\": " + Num(Median(cpu_mb), 1) +
                    ", \"cpu_us_per_message\": " + Num(Median(cpu_msg), 3) +
                    "}, \"n\": " + std::to_string(mbps.size()) + ", \"runs\": [" + list + "]";
  if (!failures.empty()) {
    out += ", \"failures\": [";
    for (size_t i = 0; i < failures.size(); i++) out += (i ? ", " : "") + JsonString(failures[i]);
    out += "]";
  }
  return out + "}";
}

[[noreturn]] void Usage(const char* argv0, int code) {
  std::fprintf(
      stderr,
      "usage: %s [--tests a,b] [--runs N] [--seconds S] [--max-bytes N] [--low N]"
      " [--high N] [--slice-ms MS] [--thread-cpu] [--log none|error|warning|info|verbose]\n"
      "tests: throughput_64KiB, throughput_16KiB, message_rate_100B\n",
      argv0);
  std::exit(code);
}

uint64_t ParseUnsigned(const char* flag, const char* value) {
  RequireValue(flag, value);
  char* end = nullptr;
  const unsigned long long v = std::strtoull(value, &end, 10);
  if (*value == '\0' || *value == '-' || *end != '\0') {
    std::fprintf(stderr, "%s wants a non-negative integer, got '%s'\n", flag, value);
    std::exit(64);
  }
  return v;
}

double ParsePositive(const char* flag, const char* value) {
  RequireValue(flag, value);
  char* end = nullptr;
  const double v = std::strtod(value, &end);
  if (*value == '\0' || *end != '\0' || !(v > 0)) {
    std::fprintf(stderr, "%s wants a positive number, got '%s'\n", flag, value);
    std::exit(64);
  }
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 3;
  double seconds = 5;
  uint64_t max_bytes = 256 * MiB, low = 1 * MiB, high = 4 * MiB;
  double slice_ms = 1;
  bool thread_cpu = false;
  std::vector<const Test*> tests;
  rtc::LoggingSeverity log_level = rtc::LS_NONE;
  for (int i = 1; i < argc; i++) {
    const char* a = argv[i];
    const char* next = i + 1 < argc ? argv[i + 1] : nullptr;
    if (!std::strcmp(a, "--tests") && next) {
      i++;
      std::string list = next;
      size_t pos = 0;
      while (pos <= list.size()) {
        const size_t comma = std::min(list.find(',', pos), list.size());
        const std::string name = list.substr(pos, comma - pos);
        pos = comma + 1;
        if (name.empty()) continue;
        const Test* found = nullptr;
        for (const Test& t : kTests) {
          if (name == t.name) found = &t;
        }
        if (!found) {
          std::fprintf(stderr, "unknown test '%s'\n", name.c_str());
          Usage(argv[0], 64);
        }
        tests.push_back(found);
      }
    } else if (!std::strcmp(a, "--runs")) {
      runs = static_cast<int>(std::min<uint64_t>(ParseUnsigned(a, next), 1000));
      i++;
    } else if (!std::strcmp(a, "--seconds")) {
      seconds = ParsePositive(a, next);
      i++;
    } else if (!std::strcmp(a, "--max-bytes")) {
      max_bytes = ParseUnsigned(a, next);
      i++;
    } else if (!std::strcmp(a, "--low")) {
      low = ParseUnsigned(a, next);
      i++;
    } else if (!std::strcmp(a, "--high")) {
      high = ParseUnsigned(a, next);
      i++;
    } else if (!std::strcmp(a, "--slice-ms")) {
      slice_ms = next && !std::strcmp(next, "0") ? 0 : ParsePositive(a, next);
      i++;
    } else if (!std::strcmp(a, "--thread-cpu")) {
      thread_cpu = true;
    } else if (!std::strcmp(a, "--log") && next) {
      log_level = ParseLogLevel(argv[++i]);
    } else {
      Usage(argv[0], std::strcmp(a, "--help") && std::strcmp(a, "-h") ? 64 : 0);
    }
  }
  if (tests.empty()) {
    for (const Test& t : kTests) tests.push_back(&t);
  }
  for (const Test* t : tests) {
    if (high <= low || t->size > high - low) {
      std::fprintf(stderr, "--high - --low must hold one %s message\n", t->name);
      return 64;
    }
  }

  const char* key = "raw-libtgowt";
  std::map<const Test*, std::vector<Counts>> results;
  std::map<const Test*, std::vector<std::string>> failures;
  {
    Runtime rt(log_level, /*srtp_init_once=*/true);  // see the top of this file
    for (int r = 0; r < runs; r++) {
      for (const Test* t : tests) {
        Params p{t->size,
                 seconds,
                 t->limit_bytes ? max_bytes : 0,
                 low,
                 high,
                 std::chrono::duration_cast<Clock::duration>(
                     std::chrono::duration<double, std::milli>(slice_ms)),
                 thread_cpu};
        try {
          const Counts c = MeasureOnce(rt, p);
          results[t].push_back(c);
          std::fprintf(stderr, "%s: run %d/%d %s: %.3f MB/s, %.1f msg/s, cpu %.1f us/MB%s\n", key,
                       r + 1, runs, t->name, c.bytes_received / 1e6 / c.seconds,
                       c.messages_received / c.seconds,
                       c.bytes_received ? c.cpu_us / (c.bytes_received / 1e6) : 0.0,
                       c.bytes_received == c.bytes_sent ? "" : " (COUNTS DIFFER)");
        } catch (const std::exception& e) {
          failures[t].push_back("run " + std::to_string(r + 1) + ": " + e.what());
          std::fprintf(stderr, "%s: run %d/%d %s failed: %s\n", key, r + 1, runs, t->name,
                       e.what());
        }
      }
    }
  }

  std::string body;
  for (const Test* t : tests) {
    body += ",\n      \"" + std::string(t->name) + "\": " + Summary(results[t], failures[t]);
  }
  std::printf(
      "{\n  \"machine\": %s,\n"
      "  \"config\": {\"runs\": %d, \"seconds\": %s, \"max_bytes\": %llu, \"low_threshold\": %llu,"
      " \"high_water\": %llu, \"slice_ms\": %s},\n"
      "  \"results\": {\n    \"%s\": {\n      \"pacing\": \"OnBufferedAmountChange\"%s\n    }\n"
      "  }\n}\n",
      MachineJson().c_str(), runs, Num(seconds, 3).c_str(),
      static_cast<unsigned long long>(max_bytes), static_cast<unsigned long long>(low),
      static_cast<unsigned long long>(high), Num(slice_ms, 3).c_str(), key, body.c_str());
  return 0;
}
