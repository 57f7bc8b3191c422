#include "c2hunt/correlate/process_table.h"

#include <algorithm>

namespace c2hunt::correlate {

ProcessTable::ProcessTable(Counters& counters, ProcessTableOptions options)
    : options_(options),
      evicted_ended_(counters.counter("process_table.evicted_ended")),
      evicted_live_(counters.counter("process_table.evicted_live")),
      synthetic_ids_(counters.counter("process_table.synthetic_ids")),
      unknown_end_(counters.counter("process_table.end_of_unknown_process")),
      compactions_(counters.counter("process_table.queue_compactions")) {}

std::string ProcessTable::pid_key(const std::string& host, uint32_t pid) {
  return host + '|' + std::to_string(pid);
}

void ProcessTable::add(records::Process&& p) {
  if (p.entity_id.empty()) {
    // No ProcessGuid: key by host, pid and start time so that a reused pid is a different process.
    p.entity_id = "pid:" + pid_key(p.host, p.pid) + "@" + std::to_string(p.start);
    ++synthetic_ids_;
  }
  if (!by_id_.count(p.entity_id))
    while (by_id_.size() >= options_.max_processes && !by_id_.empty()) evict_one();
  auto& ids = by_pid_[pid_key(p.host, p.pid)];
  if (std::find(ids.begin(), ids.end(), p.entity_id) == ids.end()) {
    ids.push_back(p.entity_id);
    if (ids.size() > 16) ids.erase(ids.begin());  // pids recycle; only the recent few matter
  }
  insertion_order_.push_back(p.entity_id);
  if (insertion_order_.size() > 2 * by_id_.size() + 64) compact();
  std::string id = p.entity_id;
  by_id_.insert_or_assign(std::move(id), std::move(p));
}

void ProcessTable::end(const std::string& entity_id, TimeMicros when) {
  auto it = by_id_.find(entity_id);
  if (it == by_id_.end()) {
    ++unknown_end_;
    return;
  }
  it->second.end = when;
  end_order_.push_back(entity_id);
  if (end_order_.size() > 2 * by_id_.size() + 64) compact();
}

// The order queues are cleaned lazily; drop entries of evicted processes and repeats so that they
// stay within a small multiple of the table size however long the run.
void ProcessTable::compact() {
  auto keep = [this](std::deque<std::string>& queue, bool ended_only) {
    std::unordered_map<std::string_view, size_t> last;  // id -> last position in the queue
    for (size_t i = 0; i < queue.size(); ++i) last[queue[i]] = i;
    std::vector<bool> wanted(queue.size());
    for (size_t i = 0; i < queue.size(); ++i) {
      auto it = by_id_.find(queue[i]);
      wanted[i] = it != by_id_.end() && last[queue[i]] == i && (!ended_only || it->second.end);
    }
    last.clear();  // its keys view the strings about to move
    std::deque<std::string> kept;
    for (size_t i = 0; i < queue.size(); ++i)
      if (wanted[i]) kept.push_back(std::move(queue[i]));
    queue.swap(kept);
  };
  keep(insertion_order_, false);
  keep(end_order_, true);
  ++compactions_;
}

void ProcessTable::set_signer(const std::string& entity_id, const std::string& signer, std::optional<bool> valid) {
  auto it = by_id_.find(entity_id);
  if (it == by_id_.end()) return;
  it->second.signer = signer;
  it->second.signed_valid = valid;
}

void ProcessTable::evict_one() {
  while (!end_order_.empty()) {
    std::string id = std::move(end_order_.front());
    end_order_.pop_front();
    auto it = by_id_.find(id);
    if (it != by_id_.end() && it->second.end) {
      erase(it);
      ++evicted_ended_;
      return;
    }
  }
  while (!insertion_order_.empty()) {
    std::string id = std::move(insertion_order_.front());
    insertion_order_.pop_front();
    auto it = by_id_.find(id);
    if (it != by_id_.end()) {
      erase(it);
      ++evicted_live_;
      return;
    }
  }
  erase(by_id_.begin());  // unreachable in practice: every entry is in insertion_order_
}

void ProcessTable::erase(std::unordered_map<std::string, records::Process>::iterator it) {
  auto ids = by_pid_.find(pid_key(it->second.host, it->second.pid));
  if (ids != by_pid_.end()) {
    std::erase(ids->second, it->first);
    if (ids->second.empty()) by_pid_.erase(ids);
  }
  by_id_.erase(it);
}

const records::Process* ProcessTable::find(const std::string& entity_id) const {
  if (entity_id.empty()) return nullptr;
  auto it = by_id_.find(entity_id);
  return it == by_id_.end() ? nullptr : &it->second;
}

const records::Process* ProcessTable::find_by_pid(const std::string& host, uint32_t pid, TimeMicros when) const {
  auto it = by_pid_.find(pid_key(host, pid));
  if (it == by_pid_.end()) return nullptr;
  const records::Process* best = nullptr;
  for (const std::string& id : it->second) {
    const records::Process* p = find(id);
    if (!p || p->start > when || when - p->start > options_.pid_match_window) continue;
    if (p->end && *p->end < when) continue;
    if (!best || p->start > best->start) best = p;
  }
  return best;
}

std::vector<records::Process> ProcessTable::lineage(const records::Process& p) const {
  std::vector<records::Process> chain;
  chain.reserve(options_.lineage_depth);  // `current` points into it
  const records::Process* current = &p;
  std::vector<std::string> seen{p.entity_id};
  while (chain.size() < options_.lineage_depth) {
    const records::Process* parent = find(current->parent_entity_id);
    if (!parent && current->parent_entity_id.empty() && current->parent_pid != 0)
      parent = find_by_pid(current->host, current->parent_pid, current->start);
    if (parent) {
      if (std::find(seen.begin(), seen.end(), parent->entity_id) != seen.end()) break;  // a GUID loop
      seen.push_back(parent->entity_id);
      chain.push_back(*parent);
      current = &chain.back();
      continue;
    }
    if (current->parent_executable.empty() && current->parent_entity_id.empty()) break;
    records::Process described;
    described.entity_id = current->parent_entity_id;
    described.host = current->host;
    described.pid = current->parent_pid;
    described.executable = current->parent_executable;
    described.command_line = current->parent_command_line;
    chain.push_back(std::move(described));
    break;  // nothing is known about the grandparent
  }
  return chain;
}

records::Process ProcessTable::process_for(const records::HostConnection& h) const {
  const records::Process* known = find(h.process_entity_id);
  if (!known && h.process_entity_id.empty()) known = find_by_pid(h.host, h.pid, h.time);
  if (known) return *known;
  records::Process p;
  p.entity_id = h.process_entity_id;
  p.host = h.host;
  p.pid = h.pid;
  p.executable = h.executable;
  p.user = h.user;
  return p;
}

}  // namespace c2hunt::correlate
