#include "events/envelope.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
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
  EXPECT_FALSE(FromRecord(Headers{}, "t", "k", "").ok());
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

// An attribute named twice is read from its first header, whatever the second says.
TEST(Envelope, AnAttributeNamedTwiceIsReadFromItsFirstHeader) {
  Envelope e = Sample();
  Headers headers = ToHeaders(e);
  headers.emplace_back("ce_id", "a-later-id");
  headers.emplace_back("ce_type", "parkline.other.v1.Other");
  headers.emplace_back("ce_specversion", "0.3");
  headers.emplace_back("content-type", "text/plain");
  auto read = FromRecord(headers, "t", "k", "");
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->id, e.id);
  EXPECT_EQ(read->type, e.type);
}

// The relay's numbers are read in place; a number without its publisher (or the reverse), or one
// that is not a positive decimal, makes the record unreadable rather than unnumbered: taken
// for unnumbered, its copies would be applied again.
TEST(Envelope, PublishNumbersAreReadWithTheirPublisher) {
  Envelope e = Sample();
  Headers headers = ToHeaders(e);
  auto view = [](const Headers& h) {
    HeaderViews views(h.begin(), h.end());
    return ViewRecord(views, "t", "k", "");
  };
  auto plain = view(headers);
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_EQ(plain->publish_seq, 0);
  EXPECT_TRUE(plain->publisher.empty());

  Headers numbered = headers;
  numbered.emplace_back(std::string(kPublisherHeader), "db-1/abc");
  numbered.emplace_back(std::string(kSequenceHeader), "42");
  auto read = view(numbered);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->publisher, "db-1/abc");
  EXPECT_EQ(read->publish_seq, 42);

  // Digits only, as the relay writes them: no sign, no blanks, nothing that would overflow.
  for (const char* seq : {"0", "-3", "4x", "", "+5", " 5", "5 ", "1000000000000000000"}) {
    Headers bad = headers;
    bad.emplace_back(std::string(kPublisherHeader), "db-1/abc");
    bad.emplace_back(std::string(kSequenceHeader), seq);
    auto r = view(bad);
    ASSERT_FALSE(r.ok()) << seq;
    EXPECT_TRUE(absl::IsInvalidArgument(r.status())) << r.status();
  }
  Headers alone = headers;
  alone.emplace_back(std::string(kSequenceHeader), "7");
  EXPECT_FALSE(view(alone).ok());
}

// The direct reader of ToHeaders' form must agree with absl's RFC 3339 parser, and leave every
// other form (offsets, leap seconds, impossible dates) to it.
TEST(Envelope, EventTimesAreReadAsAbslReadsThem) {
  std::mt19937_64 rng(11);
  for (int i = 0; i < 2000; ++i) {
    absl::Time t = absl::FromUnixMicros(static_cast<int64_t>(rng() % 8000000000000000ULL) -
                                        2000000000000000LL);
    std::string text = absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", t, absl::UTCTimeZone());
    absl::Time fast;
    ASSERT_TRUE(ParseEventTime(text, &fast, nullptr)) << text;
    EXPECT_EQ(fast, t) << text;
  }
  for (const char* text :
       {"2024-02-29T00:00:00Z", "2023-11-14T22:13:20.1Z", "2023-11-14T22:13:20.123456789Z",
        "2023-11-14T22:13:20+08:00", "2023-11-14T22:13:20.5-01:30", "1969-12-31T23:59:59.999Z"}) {
    absl::Time fast, slow;
    std::string error;
    ASSERT_TRUE(ParseEventTime(text, &fast, &error)) << text << error;
    ASSERT_TRUE(absl::ParseTime(absl::RFC3339_full, text, &slow, &error)) << text;
    EXPECT_EQ(fast, slow) << text;
  }
  for (const char* text :
       {"2023-02-29T00:00:00Z", "2023-13-01T00:00:00Z", "2023-11-14T24:00:00Z",
        "2023-11-14T22:13:20.Z", "2023-11-14 22:13:20Z", "2023-11-14T22:13:2xZ"}) {
    absl::Time t;
    std::string error;
    EXPECT_FALSE(ParseEventTime(text, &t, &error)) << text;
  }
}

TEST(Envelope, UuidsAreVersion7CarryTheirTimeAndIncrease) {
  int64_t before = absl::ToUnixMillis(absl::Now());
  std::vector<std::string> ids;
  for (int i = 0; i < 10000; ++i) ids.push_back(NewUuid());  // more than 4,096 in a millisecond
  int64_t after = absl::ToUnixMillis(absl::Now());
  std::set<std::string> tails;
  for (size_t i = 0; i < ids.size(); ++i) {
    const std::string& id = ids[i];
    ASSERT_EQ(id.size(), 36u);
    EXPECT_EQ(id[14], '7') << id;
    EXPECT_TRUE(id[19] == '8' || id[19] == '9' || id[19] == 'a' || id[19] == 'b') << id;
    if (i > 0) {
      EXPECT_LT(ids[i - 1], id);  // text order is time order
    }
    tails.insert(id.substr(20));
  }
  // The first carries the time it was made at; a run past 4,096 a millisecond borrows a few
  // milliseconds ahead, never more than its length allows (10,000 ids: 3; and as much again for
  // the other tests of this process, which may have run just before).
  int64_t first_ms = std::stoll(ids.front().substr(0, 8) + ids.front().substr(9, 4), nullptr, 16);
  int64_t last_ms = std::stoll(ids.back().substr(0, 8) + ids.back().substr(9, 4), nullptr, 16);
  EXPECT_GE(first_ms, before);
  EXPECT_LE(first_ms, after + 10);
  EXPECT_LE(last_ms, after + 20);
  EXPECT_EQ(tails.size(), ids.size());  // the random part alone is unique
}

TEST(Envelope, UuidsOfManyThreadsAreUnique) {
  std::vector<std::vector<std::string>> made(4);
  std::vector<std::thread> threads;
  for (auto& ids : made) {
    threads.emplace_back([&ids] {
      for (int i = 0; i < 5000; ++i) ids.push_back(NewUuid());
    });
  }
  for (auto& t : threads) t.join();
  std::set<std::string> seen;
  for (const auto& ids : made) {
    for (size_t i = 0; i < ids.size(); ++i) {
      if (i > 0) {
        EXPECT_LT(ids[i - 1], ids[i]);
      }
      seen.insert(ids[i]);
    }
  }
  EXPECT_EQ(seen.size(), 20000u);
}

}  // namespace
}  // namespace parkline::events
