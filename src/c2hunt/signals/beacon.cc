// Placeholder until the beacon analysis lands: never evaluates.
#include "c2hunt/signals/beacon.h"

namespace c2hunt::signals {

BeaconResult analyze_beacon(const BeaconInput& input, const BeaconParams&) {
  BeaconResult r;
  r.callbacks = input.start_times.size();
  return r;
}
RitaScore rita_v5_score(const BeaconInput&, TimeMicros) { return {}; }

}  // namespace c2hunt::signals
