#include "declarations/buyer_quota_access.h"

#include <gtest/gtest.h>

namespace parkline::declarations {
namespace {

auth::Viewer Enterprise(const std::string& code) {
  auth::Viewer v;
  v.name = "enterprise-" + code;
  v.codes = {"USCC-" + code, code};
  return v;
}

const std::vector<OrderParties> kOrders = {{"EBP1", "EBC1", "PAY1"}, {"EBP2", "EBC2", "PAY2"}};

TEST(BuyerQuotaAccess, TheParkReadsAnyBuyersQuota) {
  auth::Viewer staff;
  staff.park_staff = true;
  EXPECT_TRUE(MayReadBuyerQuota(staff, {}).ok());
  auth::Viewer admin;
  admin.admin = true;
  admin.park_staff = true;
  EXPECT_TRUE(MayReadBuyerQuota(admin, {}).ok());
}

TEST(BuyerQuotaAccess, EachPartyOfAnOrderOfTheBuyerReadsIt) {
  for (const char* code : {"EBP1", "EBC1", "PAY1", "EBP2", "EBC2", "PAY2"}) {
    EXPECT_TRUE(MayReadBuyerQuota(Enterprise(code), kOrders).ok()) << code;
  }
}

TEST(BuyerQuotaAccess, AnyoneElseIsRefusedAlikeWhetherTheBuyerIsKnownOrNot) {
  auto known = MayReadBuyerQuota(Enterprise("OTHER"), kOrders);
  auto unknown = MayReadBuyerQuota(Enterprise("OTHER"), {});
  EXPECT_EQ(known.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(known, unknown);
  EXPECT_NE(known.message().find("buyer_id_number"), std::string::npos);
  auth::Viewer carrier;
  carrier.carrier_code = "EBP1";  // a carrier is no party of an order, whatever its code
  carrier.name = "carrier";
  EXPECT_EQ(MayReadBuyerQuota(carrier, kOrders).code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(MayReadBuyerQuota(auth::Viewer{}, kOrders).code(), absl::StatusCode::kPermissionDenied);
  auth::Viewer customs;
  customs.customs = true;
  EXPECT_EQ(MayReadBuyerQuota(customs, kOrders).code(), absl::StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace parkline::declarations
