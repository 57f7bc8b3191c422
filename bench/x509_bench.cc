// describe_certificate throughput over 1000 distinct self-signed certificates (RSA-2048 and
// ECDSA P-256 halves), each decoded, hashed, signature-verified and JA4X-fingerprinted.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "../tests/x509/test_certificates.h"
#include "c2hunt/x509/certificate_facts.h"

namespace {

using namespace c2hunt::testing;

const std::vector<std::vector<uint8_t>>& corpus() {
  static const std::vector<std::vector<uint8_t>> ders = [] {
    std::vector<std::vector<uint8_t>> out;
    KeyPtr rsa = rsa_key(2048);
    KeyPtr ec = ec_key();
    for (int i = 0; i < 1000; ++i) {
      CertSpec spec;
      spec.subject = {{"C", "US"}, {"O", "Bench " + std::to_string(i)}, {"CN", "h" + std::to_string(i) + ".example"}};
      spec.serial = 1000 + i;
      spec.extensions = {{NID_basic_constraints, "CA:FALSE"},
                         {NID_subject_key_identifier, "hash"},
                         {NID_subject_alt_name, "DNS:h" + std::to_string(i) + ".example,IP:10.0.0.1"}};
      EVP_PKEY* key = i % 2 ? ec.get() : rsa.get();
      out.push_back(der_of(build_certificate(spec, key, key).get()));
    }
    return out;
  }();
  return ders;
}

void BM_DescribeCertificate(benchmark::State& state) {
  const auto& ders = corpus();
  size_t i = 0;
  for (auto _ : state) {
    auto c = c2hunt::x509::describe_certificate(c2hunt::ByteView(ders[i]));
    benchmark::DoNotOptimize(c);
    i = (i + 1) % ders.size();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DescribeCertificate);

}  // namespace

BENCHMARK_MAIN();
