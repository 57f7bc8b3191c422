#include "c2hunt/config/scan_config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "c2hunt/config/embedded_resources.h"
#include "c2hunt/util/ascii.h"

namespace c2hunt::config {
namespace {

constexpr const char* kDefaultOrigin = "default.yaml (embedded)";

class Reader {
 public:
  explicit Reader(std::string origin) : origin_(std::move(origin)) {}

  [[noreturn]] void fail(const YAML::Node& at, const std::string& key, const std::string& problem) const {
    YAML::Mark m = at.Mark();
    std::string where = m.is_null() ? origin_ : fmt::format("{}:{}:{}", origin_, m.line + 1, m.column + 1);
    throw ConfigError(fmt::format("{}: key '{}': {}", where, key, problem));
  }

  const YAML::Node child(const YAML::Node& map, const std::string& path, const char* name) const {
    YAML::Node n = map[name];
    if (!n) fail(map, path + "." + name, "missing");
    return n;
  }

  double number(const YAML::Node& n, const std::string& key) const {
    if (!n.IsScalar()) fail(n, key, "must be a number");
    const std::string& text = n.Scalar();
    errno = 0;
    char* end = nullptr;
    double v = 0;
    if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
      v = static_cast<double>(std::strtoll(text.c_str(), &end, 16));
    else
      v = std::strtod(text.c_str(), &end);
    if (text.empty() || errno != 0 || end != text.c_str() + text.size() || !std::isfinite(v))
      fail(n, key, fmt::format("must be a number (got '{}')", text));
    return v;
  }
  double number_in(const YAML::Node& n, const std::string& key, double lo, double hi) const {
    double v = number(n, key);
    if (v < lo || v > hi) fail(n, key, fmt::format("must be between {} and {} (got {})", lo, hi, v));
    return v;
  }
  size_t count(const YAML::Node& n, const std::string& key, double hi) const {
    double v = number_in(n, key, 1, hi);
    if (v != std::floor(v)) fail(n, key, "must be a whole number");
    return static_cast<size_t>(v);
  }
  bool boolean(const YAML::Node& n, const std::string& key) const {
    if (n.IsScalar()) {
      const std::string& s = n.Scalar();
      if (s == "true" || s == "yes" || s == "on") return true;
      if (s == "false" || s == "no" || s == "off") return false;
    }
    fail(n, key, "must be true or false");
  }
  std::string text(const YAML::Node& n, const std::string& key) const {
    if (!n.IsScalar()) fail(n, key, "must be a single value");
    return n.Scalar();
  }
  std::vector<std::string> strings(const YAML::Node& n, const std::string& key) const {
    std::vector<std::string> out;
    if (n.IsScalar()) {  // a single value where a list is expected is a one-element list
      out.push_back(n.Scalar());
      return out;
    }
    if (!n.IsSequence()) fail(n, key, "must be a list");
    for (size_t i = 0; i < n.size(); ++i) out.push_back(text(n[i], fmt::format("{}[{}]", key, i)));
    return out;
  }
  std::vector<IpNetwork> networks(const YAML::Node& n, const std::string& key) const {
    std::vector<IpNetwork> out;
    std::vector<std::string> values = strings(n, key);
    for (size_t i = 0; i < values.size(); ++i) {
      auto net = IpNetwork::parse(values[i]);
      if (!net) fail(n.IsSequence() ? n[i] : n, key, fmt::format("'{}' is not an IP address or CIDR network", values[i]));
      out.push_back(*net);
    }
    return out;
  }
  std::vector<uint16_t> ports(const YAML::Node& n, const std::string& key) const {
    std::vector<uint16_t> out;
    if (n.IsScalar()) return {static_cast<uint16_t>(count(n, key, 65535))};
    if (!n.IsSequence()) fail(n, key, "must be a list of ports");
    for (size_t i = 0; i < n.size(); ++i)
      out.push_back(static_cast<uint16_t>(count(n[i], fmt::format("{}[{}]", key, i), 65535)));
    return out;
  }

 private:
  std::string origin_;
};

const char* shape_name(const YAML::Node& n) {
  if (n.IsMap()) return "a mapping";
  if (n.IsSequence()) return "a list";
  if (n.IsNull()) return "empty";
  return "a value";
}

// Merges `over` onto `base`: maps key by key (a key the default lacks is refused), everything else
// replaced. Shapes must agree with the default's.
YAML::Node merge(const YAML::Node& base, const YAML::Node& over, const std::string& path, const Reader& r) {
  if (base.IsMap()) {
    if (!over.IsMap()) r.fail(over, path, fmt::format("must be a mapping, not {}", shape_name(over)));
    YAML::Node out(YAML::NodeType::Map);
    for (auto it = base.begin(); it != base.end(); ++it) out[it->first.Scalar()] = it->second;
    for (auto it = over.begin(); it != over.end(); ++it) {
      std::string key = it->first.IsScalar() ? it->first.Scalar() : std::string("?");
      std::string sub = path.empty() ? key : path + "." + key;
      YAML::Node b = base[key];
      if (!b) r.fail(it->first, sub, "unknown key (see docs/configuration.md)");
      out[key] = merge(b, it->second, sub, r);
    }
    return out;
  }
  if (base.IsSequence() && !over.IsSequence() && !over.IsScalar())
    r.fail(over, path, fmt::format("must be a list, not {}", shape_name(over)));
  if (base.IsScalar() && !over.IsScalar())
    r.fail(over, path, fmt::format("must be a single value, not {}", shape_name(over)));
  return over;
}

AllowlistEntry parse_entry(const YAML::Node& n, const std::string& key, const Reader& r) {
  if (!n.IsMap()) r.fail(n, key, "an allowlist entry must be a mapping with name, category, action and match");
  AllowlistEntry e;
  e.line = static_cast<int>(n.Mark().line + 1);
  static const char* const kEntryKeys[] = {"name", "category", "action", "match"};
  for (auto it = n.begin(); it != n.end(); ++it) {
    const std::string& k = it->first.Scalar();
    if (std::find(std::begin(kEntryKeys), std::end(kEntryKeys), k) == std::end(kEntryKeys))
      r.fail(it->first, key + "." + k, "unknown key (allowed: name, category, action, match)");
  }
  e.name = r.text(r.child(n, key, "name"), key + ".name");
  std::string ekey = key + "(" + e.name + ")";
  YAML::Node cat = r.child(n, ekey, "category");
  e.category = r.text(cat, ekey + ".category");
  static const char* const kCategories[] = {"internal_app", "it_management", "security_agent", "cloud_sync", "vpn"};
  if (std::find(std::begin(kCategories), std::end(kCategories), e.category) == std::end(kCategories))
    r.fail(cat, ekey + ".category",
           "must be one of internal_app, it_management, security_agent, cloud_sync, vpn");
  YAML::Node act = r.child(n, ekey, "action");
  std::string action = r.text(act, ekey + ".action");
  if (action == "suppress")
    e.action = AllowAction::suppress;
  else if (action == "downgrade")
    e.action = AllowAction::downgrade;
  else
    r.fail(act, ekey + ".action", "must be suppress or downgrade");
  YAML::Node m = r.child(n, ekey, "match");
  if (!m.IsMap() || m.size() == 0) r.fail(m, ekey + ".match", "must be a mapping with at least one condition");
  for (auto it = m.begin(); it != m.end(); ++it) {
    const std::string& k = it->first.Scalar();
    std::string sub = ekey + ".match." + k;
    YAML::Node v = it->second;
    if (k == "domain_suffix") {
      for (auto s : r.strings(v, sub)) {
        lower_ascii_in_place(s);
        while (!s.empty() && s.front() == '.') s.erase(s.begin());
        e.domain_suffix.push_back(s);
      }
    } else if (k == "ip") {
      e.destination = r.networks(v, sub);
    } else if (k == "port") {
      e.port = r.ports(v, sub);
    } else if (k == "fingerprint") {
      for (auto s : r.strings(v, sub)) {
        lower_ascii_in_place(s);
        e.fingerprint.push_back(s);
      }
    } else if (k == "source") {
      e.source = r.networks(v, sub);
    } else if (k == "source_host") {
      e.source_host = r.strings(v, sub);
    } else if (k == "process_path" || k == "parent_path") {
      auto globs = r.strings(v, sub);
      for (const auto& g : globs)
        if (g.find('\\') == std::string::npos && g.find('/') == std::string::npos)
          r.fail(v, sub, fmt::format("'{}' is a bare process name; give the full path (a name alone is spoofable)", g));
      (k == "process_path" ? e.process_path : e.parent_path) = globs;
    } else if (k == "signer") {
      e.signer = r.strings(v, sub);
    } else {
      r.fail(it->first, sub,
             "unknown condition (allowed: domain_suffix, ip, port, fingerprint, source, source_host, "
             "process_path, signer, parent_path)");
    }
  }
  if (!e.signer.empty() && e.process_path.empty())
    r.fail(m, ekey + ".match.signer", "a signer needs a process_path too (a signer alone is too broad)");
  return e;
}

SignalSettings parse_signal(const YAML::Node& n, const std::string& key, const Reader& r) {
  if (!n.IsMap()) r.fail(n, key, "must be a mapping with at least a weight");
  SignalSettings s;
  s.weight = r.number_in(r.child(n, key, "weight"), key + ".weight", 0, 1);
  for (auto it = n.begin(); it != n.end(); ++it) {
    const std::string& k = it->first.Scalar();
    if (k == "weight") continue;
    std::string sub = key + "." + k;
    YAML::Node v = it->second;
    if (v.IsSequence()) {
      s.lists[k] = r.strings(v, sub);
    } else if (v.IsScalar() && (v.Scalar() == "true" || v.Scalar() == "false")) {
      s.flags[k] = v.Scalar() == "true";
    } else {
      double x = r.number(v, sub);
      if (x < 0) r.fail(v, sub, "must not be negative");
      s.numbers[k] = x;
    }
  }
  return s;
}

ScanConfig build(const YAML::Node& root, const Reader& r) {
  ScanConfig c;
  c.local_networks = r.networks(r.child(root, "", "local_networks"), "local_networks");
  YAML::Node analysis = r.child(root, "", "analysis");
  c.external_only = r.boolean(analysis["external_only"], "analysis.external_only");
  c.include_inbound = r.boolean(analysis["include_inbound"], "analysis.include_inbound");

  YAML::Node limits = r.child(root, "", "limits");
  c.max_channels = r.count(limits["max_channels"], "limits.max_channels", 1e9);
  c.samples_per_channel = r.count(limits["samples_per_channel"], "limits.samples_per_channel", 1e6);
  c.certificates_per_channel = r.count(limits["certificates_per_channel"], "limits.certificates_per_channel", 1000);
  c.fingerprints_per_channel = r.count(limits["fingerprints_per_channel"], "limits.fingerprints_per_channel", 1000);
  c.sample_connection_ids = r.count(limits["sample_connection_ids"], "limits.sample_connection_ids", 1000);
  c.max_intel_entries = r.count(limits["max_intel_entries"], "limits.max_intel_entries", 1e9);

  YAML::Node scoring = r.child(root, "", "scoring");
  YAML::Node levels = r.child(scoring, "scoring", "levels");
  c.level_low = r.number_in(levels["low"], "scoring.levels.low", 0, 100);
  c.level_medium = r.number_in(levels["medium"], "scoring.levels.medium", 0, 100);
  c.level_high = r.number_in(levels["high"], "scoring.levels.high", 0, 100);
  c.level_critical = r.number_in(levels["critical"], "scoring.levels.critical", 0, 100);
  if (!(c.level_low <= c.level_medium && c.level_medium <= c.level_high && c.level_high <= c.level_critical))
    r.fail(levels, "scoring.levels", "thresholds must not decrease from low to critical");
  YAML::Node ml = scoring["min_level"];
  auto level = parse_level(r.text(ml, "scoring.min_level"));
  if (!level) r.fail(ml, "scoring.min_level", "must be informational, low, medium, high or critical");
  c.min_level = *level;
  c.downgrade_factor = r.number_in(scoring["downgrade_factor"], "scoring.downgrade_factor", 0, 1);
  YAML::Node common = r.child(scoring, "scoring", "common_destination");
  c.common_destination_min_share =
      r.number_in(common["min_host_share"], "scoring.common_destination.min_host_share", 0, 1);
  c.common_destination_min_hosts = r.count(common["min_hosts"], "scoring.common_destination.min_hosts", 1e9);
  YAML::Node common_signals = common["signals"];
  c.common_destination_signals = r.strings(common_signals, "scoring.common_destination.signals");

  YAML::Node signals = r.child(root, "", "signals");
  for (auto it = signals.begin(); it != signals.end(); ++it)
    c.signals[it->first.Scalar()] = parse_signal(it->second, "signals." + it->first.Scalar(), r);
  YAML::Node weak = scoring["weak_signals"];
  c.weak_signals = r.strings(weak, "scoring.weak_signals");
  for (const auto& id : c.weak_signals)
    if (!c.signals.count(id)) r.fail(weak, "scoring.weak_signals", fmt::format("'{}' is not a signal id", id));
  for (const auto& id : c.common_destination_signals)
    if (!c.signals.count(id))
      r.fail(common_signals, "scoring.common_destination.signals", fmt::format("'{}' is not a signal id", id));

  YAML::Node intel = r.child(root, "", "intel");
  c.intel_files = r.strings(intel["files"], "intel.files");
  c.builtin_intel = r.boolean(intel["builtin"], "intel.builtin");

  for (const char* list : {"allowlist", "allowlist_add"}) {
    YAML::Node entries = root[list];
    if (!entries || entries.IsNull()) continue;
    if (!entries.IsSequence()) r.fail(entries, list, "must be a list of entries");
    for (size_t i = 0; i < entries.size(); ++i)
      c.allowlist.push_back(parse_entry(entries[i], fmt::format("{}[{}]", list, i), r));
  }
  return c;
}

YAML::Node parse_yaml(std::string_view text, const std::string& origin) {
  try {
    return YAML::Load(std::string(text));
  } catch (const YAML::ParserException& e) {
    throw ConfigError(fmt::format("{}:{}:{}: not valid YAML: {}", origin, e.mark.line + 1, e.mark.column + 1, e.msg));
  }
}

// Parsed afresh for every load: yaml-cpp merges the node memory of two trees when a node of one is
// assigned into the other (as `merge` does), so a tree kept for the whole process would grow with
// every configuration loaded over it (found by config_fuzz: 450 MB and 8 loads/s after a few hundred).
YAML::Node default_tree() { return parse_yaml(kDefaultConfigYaml, kDefaultOrigin); }

}  // namespace

bool ScanConfig::is_local(const IpAddress& ip) const {
  for (const auto& n : local_networks)
    if (n.contains(ip)) return true;
  return false;
}

const RuleInfo& rule_info() {
  static const RuleInfo info = [] {
    Reader r("t1573.yml (embedded)");
    YAML::Node n = parse_yaml(kRuleYaml, "t1573.yml (embedded)");
    RuleInfo i;
    i.id = r.text(n["id"], "id");
    i.title = r.text(n["title"], "title");
    i.level = r.text(n["level"], "level");
    i.tags = r.strings(n["tags"], "tags");
    i.references = r.strings(n["references"], "references");
    return i;
  }();
  return info;
}

ScanConfig default_config() {
  Reader r(kDefaultOrigin);
  return build(default_tree(), r);
}

ScanConfig load_config(std::string_view override_yaml, std::string_view origin) {
  Reader r{std::string(origin)};
  YAML::Node over = parse_yaml(override_yaml, std::string(origin));
  if (over.IsNull()) return default_config();
  try {
    YAML::Node base = default_tree();
    return build(merge(base, over, "", r), r);
  } catch (const YAML::Exception& e) {
    throw ConfigError(fmt::format("{}:{}:{}: {}", origin, e.mark.line + 1, e.mark.column + 1, e.msg));
  }
}

ScanConfig load_config_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(fmt::format("{}: cannot open the configuration file", path));
  std::ostringstream text;
  text << in.rdbuf();
  return load_config(text.str(), path);
}

}  // namespace c2hunt::config
