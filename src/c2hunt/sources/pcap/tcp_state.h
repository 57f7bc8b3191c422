// Zeek-style TCP endpoint states, history letters and the conn_state summary
// (https://docs.zeek.org/en/master/scripts/base/protocols/conn/main.zeek.html, conn_state / history).
#pragma once

#include <cstdint>
#include <string>

namespace c2hunt::pcap {

enum class TcpEndpointState : uint8_t { inactive, syn_sent, syn_ack_sent, partial, established, closed, reset };

constexpr size_t kMaxHistoryLetters = 64;

// One direction of a TCP connection as the summary needs it.
struct TcpEndpoint {
  TcpEndpointState state = TcpEndpointState::inactive;
  uint32_t letters_seen = 0;          // bit per letter ('A'..'Z') recorded once
  uint32_t retransmissions = 0, gaps = 0;
  bool seq_known = false;
  uint32_t seq_max_end = 0;           // highest sequence number sent + 1
  bool sent_data = false;
};

// Applies one segment sent by `sender` (the peer is the other side) to both endpoint states.
void apply_tcp_flags(uint8_t flags, bool has_payload, TcpEndpoint& sender, TcpEndpoint& peer);

// Appends a history letter for `from_orig` (upper case) or the responder (lower case), each letter
// once per direction; T (retransmission) and G (gap) at 1, 10, 100, ... occurrences as Zeek does.
void add_history(std::string& history, TcpEndpoint& side, bool from_orig, char letter);

// S0, S1, SF, REJ, S2, S3, RSTO, RSTR, RSTOS0, RSTRH, SH, SHR or OTH.
const char* zeek_tcp_conn_state(const TcpEndpoint& orig, const TcpEndpoint& resp, bool any_payload);
// UDP/ICMP/other: S0 (only the originator sent), SF (both), SHR (only the responder), OTH.
const char* zeek_datagram_conn_state(uint64_t orig_packets, uint64_t resp_packets);

inline bool has_letter(const TcpEndpoint& e, char upper) { return e.letters_seen & (1u << (upper - 'A')); }

}  // namespace c2hunt::pcap
