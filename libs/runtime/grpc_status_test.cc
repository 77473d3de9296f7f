#include "runtime/grpc_status.h"

#include <gtest/gtest.h>

#include "errors/violations.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace parkline::runtime {
namespace {

TEST(GrpcStatus, KeepsCodeAndMessage) {
  grpc::Status s = ToGrpcStatus(absl::NotFoundError("enterprise X is not registered"));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(s.error_message(), "enterprise X is not registered");
  EXPECT_TRUE(s.error_details().empty());
}

TEST(GrpcStatus, ViolationsTravelAsStandardBadRequestDetails) {
  errors::Violations v;
  v.Add("unit.floor", "RANGE", "must be -10..200");
  grpc::Status s = ToGrpcStatus(v.ToStatus());
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  google::rpc::Status detail;
  ASSERT_TRUE(detail.ParseFromString(s.error_details()));
  ASSERT_EQ(detail.details_size(), 1);
  google::rpc::BadRequest bad;
  ASSERT_TRUE(detail.details(0).UnpackTo(&bad));
  ASSERT_EQ(bad.field_violations_size(), 1);
  EXPECT_EQ(bad.field_violations(0).field(), "unit.floor");

  // And back, as a client sees it.
  auto back = errors::ViolationsOf(FromGrpcStatus(s));
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].reason, "RANGE");
}

}  // namespace
}  // namespace parkline::runtime
