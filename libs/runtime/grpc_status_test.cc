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

TEST(GrpcStatus, OnlyStandardDetailsLeaveTheService) {
  // A write that gave up after its retries: UNAVAILABLE with the store's cause (not a message a
  // client could decode) and, say, a RetryInfo (one it can).
  absl::Status inside = absl::UnavailableError("could not serialize access");
  inside.SetPayload("type.parkline.dev/store.TransientCause", absl::Cord("serialization_failure"));
  google::rpc::RetryInfo retry;
  retry.mutable_retry_delay()->set_seconds(1);
  inside.SetPayload("type.googleapis.com/google.rpc.RetryInfo",
                    absl::Cord(retry.SerializeAsString()));
  grpc::Status s = ToGrpcStatus(inside);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(s.error_message(), "could not serialize access");
  google::rpc::Status detail;
  ASSERT_TRUE(detail.ParseFromString(s.error_details()));
  ASSERT_EQ(detail.details_size(), 1);
  EXPECT_TRUE(detail.details(0).Is<google::rpc::RetryInfo>());

  // The cause alone: no details at all.
  absl::Status cause_only = absl::UnavailableError("busy");
  cause_only.SetPayload("type.parkline.dev/store.TransientCause", absl::Cord("busy"));
  EXPECT_TRUE(ToGrpcStatus(cause_only).error_details().empty());
}

}  // namespace
}  // namespace parkline::runtime
