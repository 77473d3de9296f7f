#include "declarations/quota_ledger.h"

#include <gtest/gtest.h>

#include <string>

#include "absl/strings/str_cat.h"

namespace parkline::declarations {
namespace {

constexpr char kBuyer[] = "11010519491231002X";
constexpr char kOtherBuyer[] = "110105198001010015";
constexpr int64_t kCny = 100000;  // 1 CNY at scale 5

bool Mentions(const absl::Status& status, absl::string_view text) {
  return status.message().find(text) != absl::string_view::npos;
}

TEST(QuotaLimits, DefaultsAre5000PerOrderAnd26000PerYear) {
  QuotaLimits limits;
  EXPECT_EQ(limits.per_transaction, 5000 * kCny);
  EXPECT_EQ(limits.per_year, 26000 * kCny);
}

TEST(QuotaLimits, PerTransactionLimitIsInclusive) {
  QuotaLimits limits;
  EXPECT_TRUE(CheckWithinLimits(limits, 5000 * kCny, 0, 2025).ok());
  absl::Status over = CheckWithinLimits(limits, 5000 * kCny + 1, 0, 2025);  // 5000.00001
  EXPECT_EQ(over.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Mentions(over, "single-transaction limit")) << over;
  EXPECT_TRUE(Mentions(over, "5000.00001")) << over;
  EXPECT_TRUE(Mentions(over, "5000.00 CNY")) << over;
  EXPECT_TRUE(Mentions(over, "2025")) << over;
}

TEST(QuotaLimits, AnnualLimitCountsWhatIsUsed) {
  QuotaLimits limits;
  EXPECT_TRUE(CheckWithinLimits(limits, 1000 * kCny, 25000 * kCny, 2025).ok());
  absl::Status over = CheckWithinLimits(limits, 1000 * kCny + 1, 25000 * kCny, 2025);
  EXPECT_EQ(over.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Mentions(over, "annual limit")) << over;
  EXPECT_TRUE(Mentions(over, "25000.00 CNY in 2025")) << over;
  EXPECT_TRUE(Mentions(over, "1000.00001")) << over;
  EXPECT_TRUE(Mentions(over, "26000.00")) << over;
  EXPECT_EQ(CheckWithinLimits(limits, -1, 0, 2025).code(), absl::StatusCode::kInvalidArgument);
}

TEST(QuotaLimits, AreConfigurable) {
  QuotaLimits limits{100 * kCny, 250 * kCny};
  EXPECT_TRUE(CheckWithinLimits(limits, 100 * kCny, 150 * kCny, 2025).ok());
  EXPECT_FALSE(CheckWithinLimits(limits, 101 * kCny, 0, 2025).ok());
  EXPECT_FALSE(CheckWithinLimits(limits, 100 * kCny, 151 * kCny, 2025).ok());
}

TEST(QuotaLedger, AnnualLimitAcrossManyOrders) {
  QuotaLedger ledger;
  for (int i = 0; i < 13; ++i) {  // 13 x 2000.00 = 26000.00: exactly the limit
    ASSERT_TRUE(ledger.Reserve(absl::StrCat("order-", i), kBuyer, 2025, 2000 * kCny).ok()) << i;
  }
  EXPECT_EQ(ledger.Used(kBuyer, 2025), 26000 * kCny);
  EXPECT_EQ(ledger.Remaining(kBuyer, 2025), 0);
  absl::Status over = ledger.Reserve("order-13", kBuyer, 2025, 1);  // 0.00001 more
  EXPECT_EQ(over.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Mentions(over, "annual limit")) << over;
  EXPECT_FALSE(Mentions(over, kBuyer)) << "no ID number in clear: " << over;
  EXPECT_EQ(ledger.Used(kBuyer, 2025), 26000 * kCny) << "a refused order reserves nothing";
  // Another buyer's year is their own.
  EXPECT_TRUE(ledger.Reserve("order-other", kOtherBuyer, 2025, 5000 * kCny).ok());
  EXPECT_EQ(ledger.Remaining(kOtherBuyer, 2025), 21000 * kCny);

  // Releasing one order makes room for exactly its value.
  EXPECT_TRUE(ledger.Release("order-0"));
  EXPECT_EQ(ledger.Remaining(kBuyer, 2025), 2000 * kCny);
  EXPECT_FALSE(ledger.Reserve("order-14", kBuyer, 2025, 2000 * kCny + 1).ok());
  EXPECT_TRUE(ledger.Reserve("order-14", kBuyer, 2025, 2000 * kCny).ok());
}

TEST(QuotaLedger, PerTransactionLimitInTheLedger) {
  QuotaLedger ledger;
  EXPECT_TRUE(ledger.Reserve("at-limit", kBuyer, 2025, 5000 * kCny).ok());
  absl::Status over = ledger.Reserve("over", kBuyer, 2025, 5000 * kCny + 1);
  EXPECT_EQ(over.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Mentions(over, "single-transaction")) << over;
  EXPECT_EQ(ledger.Used(kBuyer, 2025), 5000 * kCny);
}

TEST(QuotaLedger, AYearBoundarySplitsTheYears) {
  QuotaLedger ledger;
  absl::StatusOr<int> last_day = QuotaYear("20251231235959");
  absl::StatusOr<int> first_day = QuotaYear("20260101000000");
  ASSERT_TRUE(last_day.ok() && first_day.ok());
  EXPECT_EQ(*last_day, 2025);
  EXPECT_EQ(*first_day, 2026);
  for (int i = 0; i < 6; ++i) {  // 26000.00 used up in 2025, the last on 31 December
    int64_t amount = i < 5 ? 5000 * kCny : 1000 * kCny;
    ASSERT_TRUE(ledger.Reserve(absl::StrCat("dec-", i), kBuyer, *last_day, amount).ok());
  }
  EXPECT_FALSE(ledger.Reserve("dec-late", kBuyer, *last_day, 1 * kCny).ok());
  EXPECT_TRUE(ledger.Reserve("jan-1", kBuyer, *first_day, 5000 * kCny).ok());
  EXPECT_EQ(ledger.Used(kBuyer, 2025), 26000 * kCny);
  EXPECT_EQ(ledger.Used(kBuyer, 2026), 5000 * kCny);
}

TEST(QuotaLedger, ReserveAndReleaseAreIdempotent) {
  QuotaLedger ledger;
  EXPECT_TRUE(ledger.Reserve("order-1", kBuyer, 2025, 300 * kCny).ok());
  EXPECT_TRUE(ledger.Reserve("order-1", kBuyer, 2025, 300 * kCny).ok());  // a retry
  EXPECT_EQ(ledger.Used(kBuyer, 2025), 300 * kCny);

  absl::Status changed = ledger.Reserve("order-1", kBuyer, 2025, 400 * kCny);
  EXPECT_EQ(changed.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(ledger.Reserve("order-1", kOtherBuyer, 2025, 300 * kCny).code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(ledger.Used(kBuyer, 2025), 300 * kCny);
  EXPECT_EQ(ledger.Used(kOtherBuyer, 2025), 0);

  EXPECT_TRUE(ledger.Release("order-1"));
  EXPECT_FALSE(ledger.Release("order-1"));  // released already: nothing happens
  EXPECT_FALSE(ledger.Release("never-reserved"));
  EXPECT_EQ(ledger.Used(kBuyer, 2025), 0);
  EXPECT_EQ(ledger.Remaining(kBuyer, 2025), 26000 * kCny);

  // Released, the order may reserve again (a withdrawn order declared anew).
  EXPECT_TRUE(ledger.Reserve("order-1", kBuyer, 2025, 400 * kCny).ok());
  EXPECT_EQ(ledger.Used(kBuyer, 2025), 400 * kCny);
}

TEST(QuotaLedger, RefusesMalformedReservations) {
  QuotaLedger ledger;
  EXPECT_EQ(ledger.Reserve("", kBuyer, 2025, 1).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ledger.Reserve("k", "", 2025, 1).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ledger.Reserve("k", kBuyer, 2025, -1).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ledger.Used(kBuyer, 2025), 0);
}

TEST(QuotaLedger, AnOrderCountsItsActuralPaidInItsAppTimeYear) {
  v1::Order order;
  order.set_app_time("20251231235959");
  order.set_goods_value("4990.00");
  order.set_freight("20.00");
  order.set_tax_total("0");
  order.set_discount("15.00");
  order.set_actural_paid("4995.00000");
  EXPECT_EQ(*QuotaValue(order), 4995 * kCny);
  EXPECT_EQ(*QuotaYear(order.app_time()), 2025);

  order.set_actural_paid("");
  EXPECT_EQ(QuotaValue(order).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(QuotaYear("2025123123595").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(QuotaYear("2025-12-31T23:5").status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace parkline::declarations
