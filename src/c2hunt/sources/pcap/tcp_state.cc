#include "c2hunt/sources/pcap/tcp_state.h"

#include "c2hunt/sources/pcap/packet_decoder.h"

namespace c2hunt::pcap {

using S = TcpEndpointState;

void apply_tcp_flags(uint8_t flags, bool has_payload, TcpEndpoint& sender, TcpEndpoint& peer) {
  bool syn = flags & kTcpSyn, ack = flags & kTcpAck, fin = flags & kTcpFin, rst = flags & kTcpRst;
  if (has_payload) sender.sent_data = true;
  if (rst) {
    sender.state = S::reset;
    return;
  }
  if (syn) {
    if (!ack && sender.state == S::inactive) sender.state = S::syn_sent;
    if (ack && (sender.state == S::inactive || sender.state == S::partial)) sender.state = S::syn_ack_sent;
    if (!fin) return;
  }
  bool handshaking = sender.state == S::syn_sent || sender.state == S::syn_ack_sent;
  bool peer_handshaking = peer.state == S::syn_sent || peer.state == S::syn_ack_sent;
  if (ack && !syn && handshaking && (peer_handshaking || peer.state == S::established)) {
    sender.state = S::established;
    if (peer_handshaking) peer.state = S::established;
  }
  if (fin) {
    if (sender.state != S::reset) sender.state = S::closed;
  } else if (sender.state == S::inactive && (ack || has_payload)) {
    sender.state = S::partial;
  }
}

void add_history(std::string& history, TcpEndpoint& side, bool from_orig, char letter) {
  char out = from_orig ? letter : static_cast<char>(letter - 'A' + 'a');
  if (letter == 'T' || letter == 'G') {
    uint32_t& n = letter == 'T' ? side.retransmissions : side.gaps;
    ++n;
    if (n != 1 && n != 10 && n != 100 && n != 1000 && n != 10000) return;
  } else {
    uint32_t bit = 1u << (letter - 'A');
    if (side.letters_seen & bit) return;
    side.letters_seen |= bit;
  }
  if (history.size() < kMaxHistoryLetters) history.push_back(out);
}

const char* zeek_tcp_conn_state(const TcpEndpoint& o, const TcpEndpoint& r, bool any_payload) {
  bool o_inactive = o.state == S::inactive || o.state == S::partial;
  bool r_inactive = r.state == S::inactive || r.state == S::partial;
  if (r.state == S::reset) {
    if (o.state == S::syn_sent || o.state == S::syn_ack_sent || (o.state == S::reset && !any_payload)) return "REJ";
    return o_inactive ? "RSTRH" : "RSTR";
  }
  if (o.state == S::reset) {
    if (r_inactive) return has_letter(o, 'S') && !has_letter(r, 'H') ? "RSTOS0" : "OTH";
    return "RSTO";
  }
  if (o.state == S::closed && r.state == S::closed) return "SF";
  if (o.state == S::closed) return r_inactive ? "SH" : "S2";
  if (r.state == S::closed) return o_inactive ? "SHR" : "S3";
  if (o.state == S::syn_sent && r.state == S::inactive) return "S0";
  if (o.state == S::established && r.state == S::established) return "S1";
  return "OTH";
}

const char* zeek_datagram_conn_state(uint64_t orig_packets, uint64_t resp_packets) {
  if (orig_packets) return resp_packets ? "SF" : "S0";
  return resp_packets ? "SHR" : "OTH";
}

}  // namespace c2hunt::pcap
