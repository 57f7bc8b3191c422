// Placeholder until the TLS stream parser lands: recognises nothing.
#include "c2hunt/protocols/tls/tls_stream.h"

namespace c2hunt::tls {

struct TlsStreamParser::Impl {
  StreamLimits limits;
  records::TlsSession session;
};

TlsStreamParser::TlsStreamParser(StreamLimits limits) : impl_(new Impl{limits, {}}) {}
TlsStreamParser::~TlsStreamParser() { delete impl_; }
Progress TlsStreamParser::feed(Direction, ByteView) { return Progress::not_tls; }
void TlsStreamParser::gap(Direction) {}
Progress TlsStreamParser::progress() const { return Progress::not_tls; }
records::TlsSession& TlsStreamParser::session() { return impl_->session; }
void TlsStreamParser::finish() {}
bool looks_like_tls_client_start(ByteView) { return false; }
bool parse_client_hello(ByteView, records::TlsClientHello&) { return false; }
bool parse_server_hello(ByteView, records::TlsServerHello&) { return false; }

}  // namespace c2hunt::tls
