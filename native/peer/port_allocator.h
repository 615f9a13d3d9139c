// The port allocator each connection gathers its candidates with: libwebrtc's
// BasicPortAllocator over the runtime's one network list, with the network-change broadcast
// narrowed to the connection it concerns.
//
// Why: libwebrtc's factory gives every connection a BasicPortAllocator over ONE shared
// BasicNetworkManager. Each new gathering session calls its StartUpdating(), which (once the
// networks are known) re-sends SignalNetworksChanged to every session still gathering, and each
// of those then allocates its ports again (BasicPortAllocatorSession::OnNetworksChanged). Set
// up 50 connections at once and each holds 10-20 UDP and TCP sockets instead of one per
// network and protocol: about 28 descriptors per connected pair, and the process runs out of
// descriptors at about 650 pairs (issue 11). Here a session hears of a change only when the
// networks did change since it last heard, or when it starts; the network list, its periodic
// refresh and real changes stay libwebrtc's: 5 descriptors per connected pair, however many
// are set up at once.
//
// The UDP sockets also read into one buffer per runtime instead of 64 KiB each (all reads happen
// on the network thread, one packet at a time).
#ifndef LWN_PEER_PORT_ALLOCATOR_H_
#define LWN_PEER_PORT_ALLOCATOR_H_

#include <memory>

#include "p2p/base/port_allocator.h"
#include "rtc_base/network.h"
#include "rtc_base/thread.h"

namespace lwn {

// What the allocators of one runtime share; made, used and destroyed on its network thread.
class SharedNetworks {
 public:
  explicit SharedNetworks(rtc::Thread* network_thread);
  ~SharedNetworks();
  SharedNetworks(const SharedNetworks&) = delete;
  SharedNetworks& operator=(const SharedNetworks&) = delete;

  // Network thread: a port allocator for one connection (PeerConnectionDependencies::allocator;
  // the connection initialises and destroys it on the network thread).
  std::unique_ptr<cricket::PortAllocator> CreatePortAllocator();

  rtc::NetworkManager* manager() const { return manager_.get(); }

 private:
  std::unique_ptr<rtc::NetworkManager> manager_;
  std::unique_ptr<rtc::PacketSocketFactory> socket_factory_;
};

}  // namespace lwn

#endif  // LWN_PEER_PORT_ALLOCATOR_H_
