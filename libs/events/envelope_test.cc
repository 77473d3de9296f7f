#include "events/envelope.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "google/rpc/error_details.pb.h"

namespace parkline::events {
namespace {

Envelope Sample() {
  google::rpc::BadRequest message;  // any protobuf message will do
  message.add_field_violations()->set_field("x");
  return NewEvent("parkline.test.v1", "/parkline/test", "subject-1", message,
                  absl::FromUnixMicros(1700000000123456));
}

TEST(Envelope, NewEventNamesTheProtobufType) {
  Envelope e = Sample();
  EXPECT_EQ(e.type, "google.rpc.BadRequest");
  EXPECT_EQ(e.subject, "subject-1");
  google::rpc::BadRequest back;
  ASSERT_TRUE(back.ParseFromString(e.payload));
  EXPECT_EQ(back.field_violations(0).field(), "x");
}

TEST(Envelope, HeadersAreCloudEventsBinaryMode) {
  Headers h = ToHeaders(Sample());
  std::map<std::string, std::string> m(h.begin(), h.end());
  EXPECT_EQ(m["ce_specversion"], "1.0");
  EXPECT_EQ(m["ce_source"], "/parkline/test");
  EXPECT_EQ(m["ce_type"], "google.rpc.BadRequest");
  EXPECT_EQ(m["ce_subject"], "subject-1");
  EXPECT_EQ(m["ce_time"], "2023-11-14T22:13:20.123456Z");
  EXPECT_EQ(m["content-type"], "application/protobuf");
  EXPECT_EQ(m["ce_id"].size(), 36u);
}

TEST(Envelope, RoundTripsThroughARecord) {
  Envelope e = Sample();
  auto back = FromRecord(ToHeaders(e), e.topic, e.subject, e.payload);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->id, e.id);
  EXPECT_EQ(back->type, e.type);
  EXPECT_EQ(back->source, e.source);
  EXPECT_EQ(back->time, e.time);
  EXPECT_EQ(back->payload, e.payload);
}

TEST(Envelope, RejectsRecordsThatAreNotCloudEvents) {
  Envelope e = Sample();
  Headers headers = ToHeaders(e);
  EXPECT_FALSE(FromRecord({}, "t", "k", "").ok());
  for (const char* drop : {"ce_id", "ce_type", "ce_source", "ce_time"}) {
    Headers without;
    for (const auto& h : headers) {
      if (h.first != drop) without.push_back(h);
    }
    auto r = FromRecord(without, "t", "k", "");
    ASSERT_FALSE(r.ok()) << drop;
    EXPECT_NE(r.status().message().find(drop), std::string::npos) << r.status();
  }
  Headers bad_time = headers;
  for (auto& h : bad_time) {
    if (h.first == "ce_time") h.second = "yesterday";
  }
  EXPECT_FALSE(FromRecord(bad_time, "t", "k", "").ok());
}

TEST(Envelope, UuidsAreVersion4AndUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string id = NewUuid();
    ASSERT_EQ(id.size(), 36u);
    EXPECT_EQ(id[14], '4');
    EXPECT_TRUE(id[19] == '8' || id[19] == '9' || id[19] == 'a' || id[19] == 'b') << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

}  // namespace
}  // namespace parkline::events
