// The unit-test check every service's Config shares: an integer setting accepts both ends of its
// range and refuses one past either with "<flag>: must be <min>..<max>" (runtime::ValidateRange),
// every other setting left at its default.
#ifndef PARKLINE_TESTS_SUPPORT_CONFIG_BOUNDS_H_
#define PARKLINE_TESTS_SUPPORT_CONFIG_BOUNDS_H_

#include <gtest/gtest.h>

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace parkline::testing {

template <typename Config, typename Int>
void ExpectBounds(Int Config::*field, const std::string& flag, Int min, Int max) {
  SCOPED_TRACE(flag);
  for (Int ok : {min, max}) {
    Config config;
    config.*field = ok;
    EXPECT_TRUE(config.Validate().ok()) << ok << ": " << config.Validate();
  }
  for (Int bad : {static_cast<Int>(min - 1), static_cast<Int>(max + 1)}) {
    Config config;
    config.*field = bad;
    absl::Status status = config.Validate();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(status.message(), absl::StrCat(flag, ": must be ", min, "..", max)) << bad;
  }
}

}  // namespace parkline::testing

#endif  // PARKLINE_TESTS_SUPPORT_CONFIG_BOUNDS_H_
