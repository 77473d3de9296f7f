#include "errors/violations.h"

#include <gtest/gtest.h>

namespace parkline::errors {
namespace {

TEST(Violations, EmptyIsOk) { EXPECT_TRUE(Violations().ToStatus().ok()); }

TEST(Violations, ListsEveryViolationInMessageAndPayload) {
  Violations v;
  v.Add("enterprise.uscc", "CHECK_CHARACTER", "check character is '4', GB 32100 gives '3'");
  v.AddIf("enterprise.name", "REQUIRED", "");  // valid: not added
  v.AddIf("enterprise.roles", "REQUIRED", "at least one role");
  absl::Status status = v.ToStatus();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "enterprise.uscc: check character is '4', GB 32100 gives '3'; "
            "enterprise.roles: at least one role");
  auto listed = ViolationsOf(status);
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].field, "enterprise.uscc");
  EXPECT_EQ(listed[0].reason, "CHECK_CHARACTER");
  EXPECT_EQ(listed[1].field, "enterprise.roles");
}

}  // namespace
}  // namespace parkline::errors
