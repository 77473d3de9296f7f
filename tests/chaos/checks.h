// What the chaos suite checks after a scenario, from outside: the sets the load had accepted,
// the DeclarationMatched events on the scenario's declarations topic, and the statistics'
// declarations_matched count; lost and duplicated, and how long the park took to agree.
#ifndef PARKLINE_TESTS_CHAOS_CHECKS_H_
#define PARKLINE_TESTS_CHAOS_CHECKS_H_

#include <set>
#include <string>

#include "absl/time/time.h"
#include "tests/chaos/park.h"

namespace parkline::chaos {

struct Tally {
  std::string scenario;
  int64_t accepted = 0;    // document sets (3 documents each) the load had accepted
  int64_t events = 0;      // DeclarationMatched records on the topic
  int64_t indicators = 0;  // declarations_matched as the statistics count it
  int64_t lost = 0;        // accepted but missing on the topic or in the count
  int64_t duplicated = 0;  // an event id twice on the topic, a set matched twice, or overcounted
  int restarts = 0;        // processes the supervisor started again (kills and fault exits)
  absl::Duration converge = absl::ZeroDuration();  // from the end of the chaos to agreement
  bool converged = false;
};

// Tallies what the topic and the statistics hold against `accepted`, once they agree or
// `timeout` passes; then waits `settle` more, as a double count would show by then.
Tally Converge(Park& park, const std::string& topic_prefix, const std::set<std::string>& accepted,
               absl::Duration timeout, absl::Duration settle);

// One line per scenario, and the header above it.
std::string TallyHeader();
std::string TallyLine(const Tally& t);

}  // namespace parkline::chaos

#endif  // PARKLINE_TESTS_CHAOS_CHECKS_H_
