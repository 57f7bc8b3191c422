// The floor for any capture reader: a bare libpcap read loop that touches every packet and nothing
// else. tls_throughput.sh prints its MB/s beside c2hunt's and tshark's.
#include <pcap/pcap.h>

#include <chrono>
#include <cstdio>
#include <sys/stat.h>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: pcap_read_loop_bench FILE\n");
    return 1;
  }
  struct stat st {};
  stat(argv[1], &st);
  char err[PCAP_ERRBUF_SIZE];
  auto t0 = std::chrono::steady_clock::now();
  pcap_t* p = pcap_open_offline(argv[1], err);
  if (!p) {
    std::fprintf(stderr, "%s\n", err);
    return 1;
  }
  pcap_pkthdr* h;
  const u_char* d;
  unsigned long long packets = 0, sum = 0;
  while (pcap_next_ex(p, &h, &d) == 1) {
    ++packets;
    sum += h->caplen ? d[h->caplen - 1] : 0;
  }
  pcap_close(p);
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("%llu packets, %.1f MB/s (checksum %llu)\n", packets, st.st_size / 1e6 / s, sum);
  return 0;
}
