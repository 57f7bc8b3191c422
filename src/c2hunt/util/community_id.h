// Community ID flow hash, version 1 (https://github.com/corelight/community-id-spec), seed 0.
#pragma once

#include <cstdint>
#include <string>

#include "c2hunt/util/ip_address.h"

namespace c2hunt {

std::string community_id_v1(const IpAddress& src, uint16_t src_port, const IpAddress& dst, uint16_t dst_port,
                            uint8_t ip_proto, uint16_t seed = 0);

}  // namespace c2hunt
