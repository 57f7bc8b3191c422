// Files compiled into the binary (generated from the repo's config/, intel/ and rule/ by CMake).
#pragma once

namespace c2hunt::config {

extern const char* const kDefaultConfigYaml;  // config/default.yaml
extern const char* const kCuratedIntelCsv;    // intel/c2hunt-curated.csv
extern const char* const kRuleYaml;           // rule/t1573.yml

}  // namespace c2hunt::config
