// Placeholder until the QUIC Initial parser lands: recognises nothing.
#include "c2hunt/protocols/quic/quic_initial.h"

namespace c2hunt::quic {

struct QuicInitialParser::Impl {
  Limits limits;
  records::TlsSession session;
};

QuicInitialParser::QuicInitialParser(Limits limits) : impl_(new Impl{limits, {}}) {}
QuicInitialParser::~QuicInitialParser() { delete impl_; }
Progress QuicInitialParser::feed_datagram(bool, ByteView) { return Progress::not_quic; }
records::TlsSession& QuicInitialParser::session() { return impl_->session; }
uint32_t QuicInitialParser::version() const { return 0; }
bool looks_like_quic_initial(ByteView) { return false; }

}  // namespace c2hunt::quic
