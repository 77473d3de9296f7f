// What the benchmarks print of figures measured in several rounds: this machine's speed drifts
// from minute to minute, so a benchmark alternates what it compares and reports the median of
// the rounds, with their range.
#ifndef PARKLINE_BENCH_ROUNDS_H_
#define PARKLINE_BENCH_ROUNDS_H_

#include <algorithm>
#include <vector>

namespace parkline::bench {

struct Spread {
  double median = 0, low = 0, high = 0;  // all 0 for no rounds
};

inline Spread Summarize(std::vector<double> rounds) {
  if (rounds.empty()) return {};
  std::sort(rounds.begin(), rounds.end());
  size_t n = rounds.size();
  double median = n % 2 == 1 ? rounds[n / 2] : (rounds[n / 2 - 1] + rounds[n / 2]) / 2;
  return {median, rounds.front(), rounds.back()};
}

}  // namespace parkline::bench

#endif  // PARKLINE_BENCH_ROUNDS_H_
