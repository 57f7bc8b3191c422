#include "c2hunt/sinks/alert_text.h"

#include <fmt/format.h>

#include "c2hunt/util/text_escape.h"

namespace c2hunt::sinks {
namespace {

constexpr size_t kMaxSignalsListed = 4;

std::string destination_text(const channels::ChannelKey& k) {
  std::string ip = k.destination.valid() ? k.destination.to_string() : std::string("?");
  std::string d = k.name.empty() ? ip : k.name + " [" + ip + "]";
  return fmt::format("{}:{}/{}", d, k.port, records::transport_name(k.transport));
}

}  // namespace

void write_alert_table(std::FILE* out, const std::vector<const scoring::ScoredChannel*>& alerts) {
  std::string text = fmt::format("{:>5}  {:<13} {:<39} {:<45} {:>6}  {}\n", "SCORE", "LEVEL", "SOURCE",
                                 "DESTINATION", "CONNS", "SIGNALS");
  for (const auto* a : alerts) {
    const auto& ch = *a->channel;
    std::string source = ch.key.source.to_string();
    if (!ch.key.process.empty()) source += " " + ch.key.process;
    std::string signals;
    for (size_t i = 0; i < a->evidence.size() && i < kMaxSignalsListed; ++i)
      signals += (i ? ", " : "") + a->evidence[i].signal;
    if (a->evidence.size() > kMaxSignalsListed) signals += fmt::format(" +{}", a->evidence.size() - kMaxSignalsListed);
    std::string level = scoring::level_name(a->level);
    if (a->suppressed) level += "*";
    text += fmt::format("{:>5.0f}  {:<13} {:<39} {:<45} {:>6}  {}\n", a->score, level, escape_for_terminal(source),
                        escape_for_terminal(destination_text(ch.key)), ch.connections, signals);
    if (!a->evidence.empty())
      text += fmt::format("       why: {}: {}\n", a->evidence.front().signal,
                          escape_for_terminal(a->evidence.front().detail));
    if (a->allowlisted)
      text += fmt::format("       allowlist: {} ({}, {})\n", escape_for_terminal(a->allowlisted->name),
                          a->allowlisted->category, scoring::allow_action_name(a->allowlisted->action));
    if (a->common_destination)
      text += fmt::format("       common destination: reached by {} of {} hosts (downgraded)\n",
                          a->common_destination->hosts_reaching, a->common_destination->hosts);
  }
  std::fwrite(text.data(), 1, text.size(), out);
}

}  // namespace c2hunt::sinks
