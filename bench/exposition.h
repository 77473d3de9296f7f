// Reading one sample from a service's /metrics (Prometheus's text exposition), for benchmarks
// that watch a service from outside its process.
#ifndef PARKLINE_BENCH_EXPOSITION_H_
#define PARKLINE_BENCH_EXPOSITION_H_

#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"

namespace parkline::bench {

// The value of the sample `series` (its name with its labels as exposed, e.g.
// `parkline_units{state="vacant"}`) in `exposition`, or -1 when it has none.
inline double SampleValue(const std::string& exposition, absl::string_view series) {
  for (absl::string_view line : absl::StrSplit(exposition, '\n')) {
    if (!absl::ConsumePrefix(&line, series) || !absl::ConsumePrefix(&line, " ")) continue;
    double value = 0;
    if (absl::SimpleAtod(line, &value)) return value;
  }
  return -1;
}

}  // namespace parkline::bench

#endif  // PARKLINE_BENCH_EXPOSITION_H_
