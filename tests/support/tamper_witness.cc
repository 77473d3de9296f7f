#include "tests/support/tamper_witness.h"

#include <gtest/gtest.h>
#include <librdkafka/rdkafkacpp.h>

#include <algorithm>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "events/envelope.h"
#include "events/outbox.h"
#include "events/outbox_relay.h"
#include "tests/support/test_env.h"

namespace parkline::testing {
namespace {

std::string Render(const store::Value& value) {
  struct {
    std::string operator()(std::monostate) const { return "NULL"; }
    std::string operator()(int64_t v) const { return absl::StrCat(v); }
    std::string operator()(const std::string& v) const {
      return absl::StrCat("'", absl::CHexEscape(v), "'");
    }
    std::string operator()(const store::Blob& v) const {
      return absl::StrCat("x'", absl::BytesToHexString(v.bytes), "'");
    }
  } render;
  return std::visit(render, value);
}

std::string Render(const store::Row& row) {
  std::vector<std::string> values;
  for (size_t i = 0; i < row.size(); ++i) values.push_back(Render(row.value(i)));
  return absl::StrCat("(", absl::StrJoin(values, ", "), ")");
}

// At most a few rows of `rows`, shortened, for a failure message.
std::string Some(const std::vector<std::string>& rows) {
  std::vector<std::string> shown;
  for (size_t i = 0; i < rows.size() && i < 3; ++i) {
    shown.push_back(rows[i].size() > 300 ? rows[i].substr(0, 300) + "..." : rows[i]);
  }
  if (rows.size() > 3) shown.push_back(absl::StrCat("and ", rows.size() - 3, " more"));
  return absl::StrJoin(shown, "\n    ");
}

}  // namespace

TablePicture PictureOf(store::Database& db) {
  TablePicture picture;
  absl::Status status = db.Read([&](store::Transaction& tx) -> absl::Status {
    picture.clear();
    auto names = tx.Query(db.backend() == "sqlite"
                              ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT "
                                "LIKE 'sqlite_%' ORDER BY name"
                              : "SELECT table_name FROM information_schema.tables WHERE "
                                "table_schema = current_schema() AND table_type = 'BASE TABLE' "
                                "ORDER BY table_name");
    if (!names.ok()) return names.status();
    for (const store::Row& name : *names) {
      auto rows = tx.Query(absl::StrCat("SELECT * FROM ", name.Text(0)));
      if (!rows.ok()) return rows.status();
      std::vector<std::string>& rendered = picture[name.Text(0)];
      for (const store::Row& row : *rows) rendered.push_back(Render(row));
      std::sort(rendered.begin(), rendered.end());
    }
    return absl::OkStatus();
  });
  EXPECT_TRUE(status.ok()) << "reading every table: " << status;
  return picture;
}

TamperWitness::TamperWitness(store::Database& db, std::vector<std::string> topics)
    : db_(db),
      topics_(std::move(topics)),
      prefix_(absl::StrCat("test.tamper.", events::NewUuid().substr(28), ".")) {
  // One partition each, made before the relay publishes, so that one end offset says it all.
  for (const std::string& topic : topics_) {
    absl::Status created = CreateTopic(prefix_ + topic, 1);
    EXPECT_TRUE(created.ok()) << created;
  }
  events::RelayOptions options;
  options.brokers = KafkaBrokers();
  options.topic_prefix = prefix_;
  options.poll_interval = absl::Milliseconds(20);
  options.delivery_timeout = absl::Seconds(10);
  relay_ = std::make_unique<events::OutboxRelay>(db_, options);
  absl::Status started = relay_->Start();
  EXPECT_TRUE(started.ok()) << "the witness's outbox relay: " << started;
}

TamperWitness::~TamperWitness() { relay_->Stop(absl::Seconds(5)); }

void TamperWitness::Publish() {
  absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (true) {
    int64_t pending = -1;
    absl::Status read = db_.Read([&](store::Transaction& tx) -> absl::Status {
      auto count = events::CountPending(tx);
      if (!count.ok()) return count.status();
      pending = *count;
      return absl::OkStatus();
    });
    ASSERT_TRUE(read.ok()) << read;
    if (pending == 0) return;
    ASSERT_LT(absl::Now(), deadline) << pending << " events still unpublished after 20 s";
    relay_->Notify();
    absl::SleepFor(absl::Milliseconds(20));
  }
}

std::map<std::string, int64_t> TamperWitness::TopicEnds() {
  std::map<std::string, int64_t> ends;
  std::string error;
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  conf->set("bootstrap.servers", KafkaBrokers(), error);
  std::unique_ptr<RdKafka::Producer> handle(RdKafka::Producer::create(conf.get(), error));
  if (handle == nullptr) {
    ADD_FAILURE() << "a Kafka handle to read the topics' ends: " << error;
    return ends;
  }
  for (const std::string& topic : topics_) {
    int64_t low = 0, high = 0;
    RdKafka::ErrorCode err =
        handle->query_watermark_offsets(prefix_ + topic, 0, &low, &high, 10000);
    EXPECT_EQ(err, RdKafka::ERR_NO_ERROR)
        << "end of " << prefix_ << topic << ": " << RdKafka::err2str(err);
    ends[topic] = high;
  }
  return ends;
}

void TamperWitness::Mark() {
  Publish();
  tables_ = PictureOf(db_);
  ends_ = TopicEnds();
}

void TamperWitness::ExpectUnchanged(const std::string& what) {
  Publish();
  TablePicture now = PictureOf(db_);
  for (const auto& [table, rows] : now) {
    const std::vector<std::string>& before = tables_[table];
    if (rows == before) continue;
    std::vector<std::string> added, removed;
    std::set_difference(rows.begin(), rows.end(), before.begin(), before.end(),
                        std::back_inserter(added));
    std::set_difference(before.begin(), before.end(), rows.begin(), rows.end(),
                        std::back_inserter(removed));
    ADD_FAILURE() << what << ": table " << table << " changed\n  rows now there:\n    "
                  << Some(added) << "\n  rows gone:\n    " << Some(removed);
  }
  for (const auto& [table, rows] : tables_) {
    if (now.count(table) == 0) ADD_FAILURE() << what << ": table " << table << " is gone";
  }
  std::map<std::string, int64_t> ends = TopicEnds();
  for (const auto& [topic, end] : ends) {
    // The relay publishes in Kafka transactions: each commit marker takes an offset too.
    EXPECT_EQ(end, ends_[topic]) << what << ": records were published to " << topic
                                 << " (its end moved " << end - ends_[topic]
                                 << " offsets: records and commit markers)";
  }
}

void TamperWitness::ExpectRefused(const std::string& what, const grpc::Status& status,
                                  const std::vector<grpc::StatusCode>& codes) {
  EXPECT_NE(std::find(codes.begin(), codes.end(), status.error_code()), codes.end())
      << what << ": answered code " << status.error_code() << " (" << status.error_message() << ")";
  ExpectUnchanged(what);
}

}  // namespace parkline::testing
