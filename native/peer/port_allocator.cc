#include "peer/port_allocator.h"

#include <string>
#include <utility>
#include <vector>

#include "p2p/base/basic_packet_socket_factory.h"
#include "p2p/client/basic_port_allocator.h"
#include "api/task_queue/pending_task_safety_flag.h"
#include "rtc_base/async_packet_socket.h"
#include "rtc_base/socket_factory.h"
#include "rtc_base/third_party/sigslot/sigslot.h"
#include "rtc_base/time_utils.h"

namespace lwn {
namespace {

// One connection's view of the shared network manager (see the header), for its gathering
// sessions: one, or more after an ICE restart. Every method runs on the network thread, as
// NetworkManager requires.
class SessionNetworks : public rtc::NetworkManager, public sigslot::has_slots<> {
 public:
  explicit SessionNetworks(rtc::NetworkManager* shared) : shared_(shared) {}
  ~SessionNetworks() override {
    if (started_ > 0) {
      shared_->SignalNetworksChanged.disconnect(this);
      shared_->StopUpdating();
    }
  }

  void StartUpdating() override {
    if (started_++ > 0) {
      // Another session of this connection (an ICE restart, an unbundled transport): it waits
      // for the signal too, which this connection's earlier sessions will hear again.
      if (heard_any_) {
        rtc::Thread::Current()->PostTask(webrtc::SafeTask(safety_.flag(), [this] {
          if (started_ > 0) SignalNetworksChanged();
        }));
      }
      return;
    }
    shared_->SignalNetworksChanged.connect(this, &SessionNetworks::OnSharedChanged);
    shared_->SignalError.connect(this, &SessionNetworks::OnSharedError);
    heard_.clear();
    heard_any_ = false;
    // The shared manager signals once the list is known: at once (posted) when it already is,
    // which is also when the other sessions would otherwise all hear it again.
    shared_->StartUpdating();
  }
  void StopUpdating() override {
    if (started_ == 0 || --started_ > 0) return;
    shared_->SignalNetworksChanged.disconnect(this);
    shared_->SignalError.disconnect(this);
    shared_->StopUpdating();
  }
  std::vector<const rtc::Network*> GetNetworks() const override { return shared_->GetNetworks(); }
  std::vector<const rtc::Network*> GetAnyAddressNetworks() override {
    return shared_->GetAnyAddressNetworks();
  }
  EnumerationPermission enumeration_permission() const override {
    return shared_->enumeration_permission();
  }
  bool GetDefaultLocalAddress(int family, rtc::IPAddress* address) const override {
    return shared_->GetDefaultLocalAddress(family, address);
  }
  webrtc::MdnsResponderInterface* GetMdnsResponder() const override {
    return shared_->GetMdnsResponder();
  }

 private:
  // What a session allocated ports for: each network's name and addresses.
  std::string Describe() const {
    std::string out;
    for (const rtc::Network* network : shared_->GetNetworks()) {
      out += network->name();
      for (const rtc::InterfaceAddress& ip : network->GetIPs()) {
        out += ' ';
        out += ip.ToString();
      }
      out += '\n';
    }
    return out;
  }
  void OnSharedChanged() {
    std::string now = Describe();
    if (heard_any_ && now == heard_) return;  // another session's start, nothing new here
    heard_any_ = true;
    heard_ = std::move(now);
    SignalNetworksChanged();
  }
  void OnSharedError() { SignalError(); }

  rtc::NetworkManager* const shared_;
  webrtc::ScopedTaskSafetyDetached safety_;  // posted signals die with this (made on JS thread)
  int started_ = 0;
  bool heard_any_ = false;
  std::string heard_;
};

// A BasicPortAllocator that owns its connection's view of the networks (made before the allocator,
// destroyed after it: the base-from-member order).
struct OwnedSessionNetworks {
  explicit OwnedSessionNetworks(rtc::NetworkManager* shared)
      : networks(std::make_unique<SessionNetworks>(shared)) {}
  std::unique_ptr<SessionNetworks> networks;
};

class PortAllocator : private OwnedSessionNetworks, public cricket::BasicPortAllocator {
 public:
  PortAllocator(rtc::NetworkManager* shared, rtc::PacketSocketFactory* socket_factory)
      : OwnedSessionNetworks(shared),
        cricket::BasicPortAllocator(OwnedSessionNetworks::networks.get(), socket_factory) {}
};

// A UDP socket as libwebrtc's AsyncUDPSocket is, but reading into its factory's one buffer:
// AsyncUDPSocket allocates 64 KiB for each socket (two per connection, one per network), and
// every read of every socket happens on the one network thread, one packet at a time, each
// handled before the next read.
class UdpPacketSocket : public rtc::AsyncPacketSocket {
 public:
  UdpPacketSocket(rtc::Socket* socket, std::vector<char>* buffer)
      : socket_(socket), buffer_(buffer) {
    socket_->SignalReadEvent.connect(this, &UdpPacketSocket::OnReadEvent);
    socket_->SignalWriteEvent.connect(this, &UdpPacketSocket::OnWriteEvent);
  }

  rtc::SocketAddress GetLocalAddress() const override { return socket_->GetLocalAddress(); }
  rtc::SocketAddress GetRemoteAddress() const override { return socket_->GetRemoteAddress(); }
  int Send(const void* data, size_t size, const rtc::PacketOptions& options) override {
    rtc::SentPacket sent(options.packet_id, rtc::TimeMillis(), options.info_signaled_after_sent);
    rtc::CopySocketInformationToPacketInfo(size, *this, false, &sent.info);
    int result = socket_->Send(data, size);
    SignalSentPacket(this, sent);
    return result;
  }
  int SendTo(const void* data, size_t size, const rtc::SocketAddress& address,
             const rtc::PacketOptions& options) override {
    rtc::SentPacket sent(options.packet_id, rtc::TimeMillis(), options.info_signaled_after_sent);
    rtc::CopySocketInformationToPacketInfo(size, *this, true, &sent.info);
    int result = socket_->SendTo(data, size, address);
    SignalSentPacket(this, sent);
    return result;
  }
  int Close() override { return socket_->Close(); }
  State GetState() const override { return STATE_BOUND; }
  int GetOption(rtc::Socket::Option option, int* value) override {
    return socket_->GetOption(option, value);
  }
  int SetOption(rtc::Socket::Option option, int value) override {
    return socket_->SetOption(option, value);
  }
  int GetError() const override { return socket_->GetError(); }
  void SetError(int error) override { socket_->SetError(error); }

 private:
  void OnReadEvent(rtc::Socket*) {
    rtc::SocketAddress from;
    int64_t timestamp = -1;
    int length = socket_->RecvFrom(buffer_->data(), buffer_->size(), &from, &timestamp);
    // An error is typically an ICMP unreachable for an earlier send: ICE expects those.
    if (length < 0) return;
    SignalReadPacket(this, buffer_->data(), static_cast<size_t>(length), from,
                     timestamp > -1 ? timestamp : rtc::TimeMicros());
  }
  void OnWriteEvent(rtc::Socket*) { SignalReadyToSend(this); }

  std::unique_ptr<rtc::Socket> socket_;
  std::vector<char>* const buffer_;
};

// libwebrtc's socket factory, with UDP sockets sharing one receive buffer.
class PacketSocketFactory : public rtc::BasicPacketSocketFactory {
 public:
  explicit PacketSocketFactory(rtc::SocketFactory* sockets)
      : rtc::BasicPacketSocketFactory(sockets), sockets_(sockets), buffer_(64 * 1024) {}

  rtc::AsyncPacketSocket* CreateUdpSocket(const rtc::SocketAddress& address, uint16_t min_port,
                                          uint16_t max_port) override {
    std::unique_ptr<rtc::Socket> socket(sockets_->CreateSocket(address.family(), SOCK_DGRAM));
    if (!socket) return nullptr;
    // BasicPacketSocketFactory's binding: the OS's choice, or the first free port of the range.
    int bound = -1;
    if (min_port == 0 && max_port == 0) {
      bound = socket->Bind(address);
    } else {
      for (int port = min_port; bound < 0 && port <= max_port; ++port) {
        bound = socket->Bind(rtc::SocketAddress(address.ipaddr(), port));
      }
    }
    if (bound < 0) return nullptr;
    return new UdpPacketSocket(socket.release(), &buffer_);
  }

 private:
  rtc::SocketFactory* const sockets_;
  std::vector<char> buffer_;
};

}  // namespace

SharedNetworks::SharedNetworks(rtc::Thread* network_thread)
    : manager_(std::make_unique<rtc::BasicNetworkManager>(network_thread->socketserver())),
      socket_factory_(std::make_unique<PacketSocketFactory>(network_thread->socketserver())) {}

SharedNetworks::~SharedNetworks() = default;

std::unique_ptr<cricket::PortAllocator> SharedNetworks::CreatePortAllocator() {
  return std::make_unique<PortAllocator>(manager_.get(), socket_factory_.get());
}

}  // namespace lwn
