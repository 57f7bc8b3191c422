// Matches a channel against the allowlist: an entry matches when every condition it has matches
// (a list condition matches when any of its values does).
#pragma once

#include <string_view>
#include <vector>

#include "c2hunt/channels/channel.h"
#include "c2hunt/scoring/scoring_config.h"

namespace c2hunt::scoring {

// Case-insensitive glob (* and ?) over a full path; backslashes are literal.
bool path_glob_match(std::string_view pattern, std::string_view path);
bool entry_matches(const AllowlistEntry& e, const channels::Channel& ch);
// The first matching entry, or nullptr.
const AllowlistEntry* match_allowlist(const std::vector<AllowlistEntry>& entries,
                                              const channels::Channel& ch);

}  // namespace c2hunt::scoring
