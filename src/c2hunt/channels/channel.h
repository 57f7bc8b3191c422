// A channel: every connection from one source (and process, when host telemetry names it) to one
// destination name/IP/port over one transport, aggregated over the analysis window.
//
// Memory bound per channel: `samples_per_channel` ConnectionSamples (24 bytes each, of the first N
// connections, so inter-arrival deltas stay contiguous), `sample_connection_ids` ids,
// `fingerprints_per_channel` strings per fingerprint kind, `certificates_per_channel` certificates,
// a fixed tally block (a detail string only for signals that hit), and one Process with its lineage
// when host telemetry names one. Counts and byte sums stay exact. A channel without host data,
// certificates or hits costs about 500 bytes plus its samples (docs/configuration.md, "Limits").
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <array>
#include <compare>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

#include "c2hunt/records/connection.h"

namespace c2hunt::channels {

enum class NameOrigin : uint8_t { none = 0, sni, connect, dns };
const char* name_origin_text(NameOrigin o);

// Members are laid out to pack (the 17-byte addresses together); the order compares source,
// process, name, name_origin, destination, port, transport, proxy.
struct ChannelKey {
  IpAddress source;
  IpAddress destination;      // invalid (family 0) when a proxy CONNECT named the target by name only
  IpAddress proxy;            // the explicit proxy the CONNECT went through; invalid when direct
  NameOrigin name_origin = NameOrigin::none;
  records::Transport transport = records::Transport::other;
  uint16_t port = 0;
  std::string process;        // executable path, empty when no host telemetry attributed it
  std::string name;           // destination name (SNI, CONNECT target or DNS name), may be empty

  friend bool operator==(const ChannelKey&, const ChannelKey&) = default;
  friend std::strong_ordering operator<=>(const ChannelKey& a, const ChannelKey& b) {
    auto order = [](const ChannelKey& k) {
      return std::tie(k.source, k.process, k.name, k.name_origin, k.destination, k.port, k.transport, k.proxy);
    };
    return order(a) <=> order(b);
  }
  std::string to_string() const;  // "10.0.0.5 -> example.com[93.184.216.34]:443/tcp"
};

// A successful connection of the channel (a failed attempt is no callback: only counted).
struct ConnectionSample {
  TimeMicros start = 0;
  uint64_t orig_bytes = 0, resp_bytes = 0;
};

// A vector that costs one null pointer while empty: for what most channels never have (certificates
// from logs without x509, host data, signal hits). Reads like a const std::vector<T>.
template <typename T>
class LazyVector {
 public:
  LazyVector() = default;
  LazyVector(const LazyVector& o) : v_(o.v_ ? std::make_unique<std::vector<T>>(*o.v_) : nullptr) {}
  LazyVector& operator=(const LazyVector& o) {
    if (this != &o) v_ = o.v_ ? std::make_unique<std::vector<T>>(*o.v_) : nullptr;
    return *this;
  }
  LazyVector(LazyVector&&) noexcept = default;
  LazyVector& operator=(LazyVector&&) noexcept = default;
  LazyVector& operator=(const std::vector<T>& v) {
    v_ = v.empty() ? nullptr : std::make_unique<std::vector<T>>(v);
    return *this;
  }

  bool empty() const { return !v_ || v_->empty(); }
  size_t size() const { return v_ ? v_->size() : 0; }
  T& operator[](size_t i) { return (*v_)[i]; }
  const T& operator[](size_t i) const { return (*v_)[i]; }
  T& front() { return v_->front(); }
  const T& front() const { return v_->front(); }
  T* begin() { return v_ ? v_->data() : nullptr; }
  T* end() { return v_ ? v_->data() + v_->size() : nullptr; }
  const T* begin() const { return v_ ? v_->data() : nullptr; }
  const T* end() const { return v_ ? v_->data() + v_->size() : nullptr; }
  void push_back(T value) { vec().push_back(std::move(value)); }
  T& emplace_back() { return vec().emplace_back(); }
  const std::vector<T>& get() const {
    static const std::vector<T> kEmpty;
    return v_ ? *v_ : kEmpty;
  }
  operator const std::vector<T>&() const { return get(); }

 private:
  std::vector<T>& vec() {
    if (!v_) v_ = std::make_unique<std::vector<T>>();
    return *v_;
  }
  std::unique_ptr<std::vector<T>> v_;
};

// Outcomes of the per-connection signals over the channel's connections. The signals layer numbers
// its per-connection signal ids (slots); a channel keeps flags and an interned first not-evaluated
// reason per slot, and a hit record only for the signals that fired.
struct SignalTallies {
  static constexpr size_t kSlots = 16;
  struct Hit {
    uint8_t slot = 0;
    uint64_t hits = 0;
    double max_strength = 0;
    std::string detail;  // detail of the strongest hit
  };
  uint16_t passed = 0;          // bit per slot: some connection passed
  uint16_t not_evaluated = 0;   // bit per slot: some connection could not evaluate it
  std::array<uint8_t, kSlots> reason{};  // first not-evaluated reason (an interned string's index)
  LazyVector<Hit> hits;         // slots with at least one hit, in first-hit order

  Hit* hit(size_t slot) {
    for (auto& h : hits)
      if (h.slot == slot) return &h;
    return nullptr;
  }
  const Hit* hit(size_t slot) const { return const_cast<SignalTallies*>(this)->hit(slot); }
};

// Walks a container by index through its operator[] (containers whose storage is not one array).
template <typename List, typename Value>
class IndexIterator {
 public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = std::remove_const_t<Value>;
  using difference_type = std::ptrdiff_t;
  using pointer = Value*;
  using reference = Value&;
  IndexIterator(List* list, size_t i) : list_(list), i_(i) {}
  reference operator*() const { return (*list_)[i_]; }
  pointer operator->() const { return &(*list_)[i_]; }
  IndexIterator& operator++() {
    ++i_;
    return *this;
  }
  IndexIterator operator++(int) {
    IndexIterator before = *this;
    ++i_;
    return before;
  }
  bool operator==(const IndexIterator& o) const { return i_ == o.i_; }

 private:
  List* list_;
  size_t i_;
};

// Distinct texts (fingerprints) a channel saw, first seen first, as pointers into the table's text
// pool: a channel of one fingerprint pays one pointer and no allocation. A copy of a Channel is
// valid only while its ChannelTable lives (its texts and SNI are the table's).
class TextList {
 public:
  using iterator = IndexIterator<const TextList, const std::string>;

  bool empty() const { return first_ == nullptr; }
  size_t size() const { return first_ ? 1 + rest_size() : 0; }
  const std::string& operator[](size_t i) const { return i == 0 ? *first_ : *(*rest_)[i - 1]; }
  const std::string& front() const { return *first_; }
  iterator begin() const { return {this, 0}; }
  iterator end() const { return {this, size()}; }
  bool contains(std::string_view v) const {
    for (const auto& s : *this)
      if (s == v) return true;
    return false;
  }
  // `text` must outlive the list (the table's pool).
  void push_back(const std::string* text) {
    if (!first_) {
      first_ = text;
      return;
    }
    if (!rest_) rest_ = std::make_unique<std::vector<const std::string*>>();
    rest_->push_back(text);
  }
  // For writers that take a list of strings.
  operator std::vector<std::string>() const { return std::vector<std::string>(begin(), end()); }

  TextList() = default;
  TextList(const TextList& o) : first_(o.first_), rest_(o.rest_ ? std::make_unique<Rest>(*o.rest_) : nullptr) {}
  TextList& operator=(const TextList& o) {
    if (this != &o) *this = TextList(o);
    return *this;
  }
  TextList(TextList&&) noexcept = default;
  TextList& operator=(TextList&&) noexcept = default;

 private:
  using Rest = std::vector<const std::string*>;
  size_t rest_size() const { return rest_ ? rest_->size() : 0; }
  const std::string* first_ = nullptr;
  std::unique_ptr<Rest> rest_;  // the second and later texts (rare)
};

struct SeenCertificate {
  std::shared_ptr<const records::Certificate> certificate;  // shared with the records that presented it
  TimeMicros first_use = 0;
  uint64_t connections = 0;
};

struct Channel {
  ChannelKey key;
  TimeMicros first_seen = 0, last_seen = 0;
  uint64_t connections = 0, successful = 0, failed = 0;
  uint64_t orig_bytes = 0, resp_bytes = 0;
  TimeMicros max_duration = 0, total_duration = 0;
  std::vector<ConnectionSample> samples;  // the successful ones of the first samples_per_channel connections
  uint32_t samples_taken = 0;              // connections counted against samples_per_channel (<= 1e6)
  uint16_t tls_version = 0;                // the latest negotiated version seen
  bool source_local = false, destination_local = false;
  uint64_t samples_dropped() const { return connections - samples_taken; }
  std::vector<uint64_t> sample_ids;

  uint64_t tls_connections = 0;
  std::string_view server_name;       // the latest SNI seen (in the table's text pool)
  TextList ja3, ja4, ja3s, ja4s;      // distinct, first seen first, capped
  LazyVector<SeenCertificate> certificates;       // distinct by SHA-1 (or subject), capped

  // Shared and immutable: a channel without host data pays one null pointer, and channels of one
  // process can share the copy.
  std::shared_ptr<const records::Process> process;  // the most recent process (latest connection) of the channel
  LazyVector<records::Process> lineage;          // its lineage
  TimeMicros process_seen = 0;                   // start of the connection that named `process`
  LazyVector<std::string> process_entity_ids;    // every process of the channel, first seen first, capped

  SignalTallies tallies;

  std::string_view input_file;        // the input of the first connection (interned by the table; per-input scope)
};

// A connection that did not complete (no callback happened): S0, REJ, RSTOS0, SH, SHR, RSTRH, OTH
// with no answer, or a TCP/UDP connection whose responder sent nothing.
bool connection_failed(const records::Connection& c);

}  // namespace c2hunt::channels
