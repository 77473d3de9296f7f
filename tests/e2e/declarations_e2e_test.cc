// The declarations service as the park runs it: the enterprises and declarations binaries as
// processes on the real local Kafka broker. Enterprises admitted in the registry become known to
// declarations through their events; then the three documents of many orders arrive shuffled,
// from several clients, with resends, and exactly one DeclarationMatched per order reaches the
// topic.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "declarations/declaration_matcher.h"
#include "parkline/declarations/v1/declarations.grpc.pb.h"
#include "parkline/enterprises/v1/enterprises.grpc.pb.h"
#include "samples/import_sets.h"
#include "tests/support/import_parties.h"
#include "tests/support/service_process.h"
#include "tests/support/test_env.h"

namespace parkline {
namespace {

namespace dv1 = declarations::v1;
namespace ev1 = enterprises::v1;
using Declarations = testing::ServiceUnderTest<dv1::DeclarationService>;
using Enterprises = testing::ServiceUnderTest<ev1::EnterpriseService>;

class DeclarationsE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Topics of this test's own (PARKLINE_TOPIC_PREFIX): no event reaches a developer's park on
    // the same broker, and the residents consumer reads only this run's registry.
    for (const char* topic : {"parkline.enterprises.v1", "parkline.declarations.v1",
                              "parkline.clearance.v1", "parkline.deadletter.v1"}) {
      ASSERT_TRUE(testing::CreateTopic(prefix_ + topic, 3).ok());
    }
    const std::map<std::string, std::string> env = {{"PARKLINE_TOPIC_PREFIX", prefix_}};
    enterprises_ =
        std::make_unique<Enterprises>(ENTERPRISES_BINARY, "enterprises", dir_.path(), env);
    declarations_ =
        std::make_unique<Declarations>(DECLARATIONS_BINARY, "declarations", dir_.path(), env);
    ASSERT_EQ(enterprises_->WaitServing(absl::Seconds(30)),
              grpc::health::v1::HealthCheckResponse::SERVING);
    ASSERT_EQ(declarations_->WaitServing(absl::Seconds(30)),
              grpc::health::v1::HealthCheckResponse::SERVING);
  }

  // The four parties of a document set, admitted in the registry (codes chosen for this run).
  void AdmitParties(const samples::ImportCodes& codes) {
    ASSERT_TRUE(testing::AdmitImportParties(*enterprises_, codes).ok());
  }

  testing::TempDir dir_;
  const std::string prefix_ = absl::StrCat("e2e", std::random_device{}(), ".");
  std::unique_ptr<Enterprises> enterprises_;
  std::unique_ptr<Declarations> declarations_;
};

// Ten random digits: customs codes and order numbers of this run only.
std::string RunCode(std::mt19937_64& rng) { return absl::StrCat(1000000000 + rng() % 8999999999); }

TEST_F(DeclarationsE2eTest, ShuffledDocumentsWithResendsMakeExactlyOneDeclarationPerOrder) {
  std::mt19937_64 rng{std::random_device{}()};
  samples::ImportCodes codes{RunCode(rng), RunCode(rng), RunCode(rng), RunCode(rng)};
  AdmitParties(codes);
  constexpr int kOrders = 60;
  int base = static_cast<int>(rng() % 90000000);

  // Every document once, a third of them twice, in random order.
  struct Send {
    int kind;  // 0 order, 1 payment, 2 waybill
    int n;
  };
  std::vector<Send> sends;
  for (int i = 0; i < kOrders; ++i) {
    for (int kind = 0; kind < 3; ++kind) {
      sends.push_back({kind, base + i});
      if ((i + kind) % 3 == 0) sends.push_back({kind, base + i});
    }
  }
  std::shuffle(sends.begin(), sends.end(), rng);

  // The registry's events reach declarations asynchronously: until they do, the parties are not
  // yet resident and a document is refused (INVALID_ARGUMENT, NOT_RESIDENT) and sent again.
  std::atomic<size_t> next{0};
  std::atomic<int> failures{0};
  auto client = [&] {
    for (size_t i = next++; i < sends.size(); i = next++) {
      auto set = samples::MakeImportSet(sends[i].n, codes);
      absl::Status status;
      absl::Time deadline = absl::Now() + absl::Seconds(30);
      do {
        dv1::DocumentReceipt out;
        if (sends[i].kind == 0) {
          dv1::SubmitOrderRequest r;
          *r.mutable_order() = set.order;
          status = declarations_->Call(&dv1::DeclarationService::Stub::SubmitOrder, r, &out);
        } else if (sends[i].kind == 1) {
          dv1::SubmitPaymentRequest r;
          *r.mutable_payment() = set.payment;
          status = declarations_->Call(&dv1::DeclarationService::Stub::SubmitPayment, r, &out);
        } else {
          dv1::SubmitWaybillRequest r;
          *r.mutable_waybill() = set.waybill;
          status = declarations_->Call(&dv1::DeclarationService::Stub::SubmitWaybill, r, &out);
        }
        if (absl::IsInvalidArgument(status)) absl::SleepFor(absl::Milliseconds(100));
      } while (absl::IsInvalidArgument(status) && absl::Now() < deadline);
      if (!status.ok()) {
        failures++;
        ADD_FAILURE() << status;
      }
    }
  };
  std::vector<std::thread> clients;
  for (int c = 0; c < 4; ++c) clients.emplace_back(client);
  for (auto& t : clients) t.join();
  ASSERT_EQ(failures, 0);

  std::set<std::string> keys;
  for (int i = 0; i < kOrders; ++i) {
    keys.insert(declarations::OrderKey(codes.platform,
                                       samples::MakeImportSet(base + i, codes).order.order_no()));
  }
  std::map<std::string, int> matched;
  absl::Time all_seen = absl::InfiniteFuture();
  testing::ReadTopic(
      prefix_ + "parkline.declarations.v1", absl::Seconds(60),
      [&](const testing::ConsumedRecord& r) {
        if (keys.count(r.key) > 0 &&
            testing::Header(r, "ce_type") == "parkline.declarations.v1.DeclarationMatched") {
          matched[r.key]++;
        }
        return false;
      },
      [&](const auto&) {
        // Read on for two seconds after the last order matched: a second DeclarationMatched of
        // any order would show by then.

        if (matched.size() >= keys.size() && all_seen == absl::InfiniteFuture()) {
          all_seen = absl::Now();
        }
        return absl::Now() >= all_seen + absl::Seconds(2);
      });
  for (const std::string& key : keys) EXPECT_EQ(matched[key], 1) << key;

  dv1::GetDeclarationRequest get;
  get.set_order_key(*keys.begin());
  dv1::Declaration d;
  ASSERT_TRUE(declarations_->Call(&dv1::DeclarationService::Stub::GetDeclaration, get, &d).ok());
  EXPECT_EQ(d.status(), dv1::DECLARATION_STATUS_MATCHED);

  // Every document sent went through the group commit, which /metrics shows: requests per shared
  // transaction (the sum is every request, the count every transaction), and the transactions'
  // times, one per transaction.
  std::string metrics = testing::HttpGet(declarations_->metrics_port(), "/metrics");
  auto value = [&metrics](const std::string& name) {
    size_t at = metrics.find("\n" + name + " ");
    if (at == std::string::npos) return -1.0;
    return std::stod(metrics.substr(at + name.size() + 2));
  };
  double requests = value("parkline_group_commit_batch_size_sum");
  double transactions = value("parkline_group_commit_batch_size_count");
  EXPECT_GE(requests, static_cast<double>(sends.size())) << metrics.substr(0, 3000);
  EXPECT_GE(transactions, 1);
  EXPECT_LE(transactions, requests);
  EXPECT_EQ(value("parkline_group_commit_seconds_count"), transactions);
  // The database's transient failures are counted (host/store_metrics.h); one writer on its own
  // database never conflicts, and nothing was given up.
  for (const std::string cause : {"serialization_failure", "busy"}) {
    EXPECT_EQ(value("parkline_store_transaction_retries_total{cause=\"" + cause +
                    "\",outcome=\"gave_up\"}"),
              0)
        << cause;
  }
  // Its SQLite connections' waits for the file are counted by the waiting thread (the writer and
  // the relay take turns at it): both families are exposed, and a wait counted has its time.
  for (const std::string family :
       {"parkline_store_busy_waits_total", "parkline_store_busy_wait_seconds_total"}) {
    EXPECT_NE(metrics.find("# TYPE " + family + " counter"), std::string::npos) << family;
  }
  for (const std::string thread : {"pl-writer", "pl-relay"}) {
    const std::string labels = "{thread=\"" + thread + "\"}";
    const double waits = value("parkline_store_busy_waits_total" + labels);
    const double waited = value("parkline_store_busy_wait_seconds_total" + labels);
    EXPECT_GE(waits, 0) << thread << ": no series";
    if (waits > 0) {
      EXPECT_GT(waited, 0) << thread << ": " << waits << " waits, no time";
    }
  }
  // And what became of them: each order's three documents accepted once, every resend a
  // duplicate.
  double duplicates = 0;
  for (const std::string kind : {"order", "payment", "waybill"}) {
    auto documents = [&](const std::string& outcome) {
      return value("parkline_declarations_documents_total{kind=\"" + kind + "\",outcome=\"" +
                   outcome + "\"}");
    };
    EXPECT_EQ(documents("accepted"), kOrders) << kind;
    duplicates += std::max(0.0, documents("duplicate"));
  }
  EXPECT_EQ(duplicates, static_cast<double>(sends.size()) - 3 * kOrders);

  declarations_->process().Signal(SIGTERM);
  EXPECT_EQ(declarations_->process().Wait(absl::Seconds(5)), 0);
}

// A bad setting of the service's own (its Config) stops it at start as a configuration error:
// exit code 2 and a log line naming the flag and the rule, as a bad common flag does.
TEST(DeclarationsStartE2eTest, ABadSettingOfItsOwnStopsItAsAConfigurationError) {
  testing::TempDir dir;
  const std::string log = dir.path() + "/declarations.log";
  {
    testing::ChildProcess process(
        DECLARATIONS_BINARY, {},
        {{"PARKLINE_WAITING_HOURS", "800"},
         {"PARKLINE_DATABASE_URL", "sqlite://" + dir.path() + "/declarations.db"},
         {"PARKLINE_GRPC_ADDRESS", absl::StrCat("127.0.0.1:", testing::FreePort())},
         {"PARKLINE_METRICS_ADDRESS", absl::StrCat("127.0.0.1:", testing::FreePort())},
         {"PARKLINE_KAFKA_BROKERS", testing::KafkaBrokers()}},
        log);
    EXPECT_EQ(process.Wait(absl::Seconds(30)), 2);
  }
  std::ifstream in(log);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("waiting_hours: must be 1..720"), std::string::npos) << text;
}

}  // namespace
}  // namespace parkline
