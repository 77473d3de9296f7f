// Who may tie a shipment to an order: the carrier through its own stored waybill for that order
// and number, the admin always; everybody else, and every other waybill, is PERMISSION_DENIED
// naming the field and the rule.
#include "logistics/shipment_binding.h"

#include <gtest/gtest.h>

namespace parkline::logistics {
namespace {

constexpr char kCarrier[] = "3301960004";
constexpr char kOtherCarrier[] = "4401960013";
constexpr char kOrder[] = "3301960001/ORD-1";

auth::Viewer Carrier(const std::string& code = kCarrier) {
  auth::Viewer v;
  v.name = "carrier";
  v.carrier_code = code;
  return v;
}

v1::ShipmentKey Key(const std::string& waybill, const std::string& carrier = kCarrier) {
  v1::ShipmentKey k;
  k.set_carrier_code(carrier);
  k.set_waybill_no(waybill);
  return k;
}

std::vector<StoredWaybill> Waybill(const std::string& no, const std::string& code = kCarrier,
                                   const std::string& order_key = kOrder) {
  return {{code, no, order_key}};
}

// The message begins with "<field>: <RULE>:".
void ExpectDenied(const absl::Status& status, const std::string& field_and_rule) {
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied) << status;
  EXPECT_EQ(std::string(status.message()).substr(0, field_and_rule.size() + 2),
            field_and_rule + ": ")
      << status;
}

TEST(LogisticsMayBindShipment, ACarrierBindsThroughItsOwnWaybillForTheOrderAndNumber) {
  EXPECT_TRUE(MayBindShipment(Carrier(), Key("WB-1"), kOrder, Waybill("WB-1")).ok());
  // One of several of its waybills for the order.
  std::vector<StoredWaybill> two = {{kCarrier, "WB-0", kOrder}, {kCarrier, "WB-1", kOrder}};
  EXPECT_TRUE(MayBindShipment(Carrier(), Key("WB-1"), kOrder, two).ok());
}

TEST(LogisticsMayBindShipment, ACarrierRegistersItsOwnShipmentWithoutAnOrder) {
  EXPECT_TRUE(MayBindShipment(Carrier(), Key("WB-9"), "", {}).ok());
}

TEST(LogisticsMayBindShipment, WithoutAStoredWaybillOfItsOwnTheOrderIsRefused) {
  ExpectDenied(MayBindShipment(Carrier(), Key("WB-1"), kOrder, {}), "order_key: OWN_WAYBILL");
  // Another carrier's waybill for the order, passed by mistake, does not count.
  ExpectDenied(MayBindShipment(Carrier(), Key("WB-1"), kOrder, Waybill("WB-1", kOtherCarrier)),
               "order_key: OWN_WAYBILL");
  // Its own waybill for another order does not either.
  ExpectDenied(MayBindShipment(Carrier(), Key("WB-1"), kOrder,
                               Waybill("WB-1", kCarrier, "3301960001/ORD-2")),
               "order_key: OWN_WAYBILL");
  // A waybill that came before its order knows "/<order_no>" only: not the order's full key.
  ExpectDenied(MayBindShipment(Carrier(), Key("WB-1"), kOrder, Waybill("WB-1", kCarrier, "/ORD-1")),
               "order_key: OWN_WAYBILL");
}

TEST(LogisticsMayBindShipment, ItsWaybillForTheOrderNamesAnotherNumber) {
  ExpectDenied(MayBindShipment(Carrier(), Key("WB-2"), kOrder, Waybill("WB-1")),
               "order_key: WAYBILL_NO");
}

TEST(LogisticsMayBindShipment, OnlyTheCarrierOfTheKeyMayRegister) {
  // A carrier naming another carrier's key, even with that carrier's waybill.
  ExpectDenied(MayBindShipment(Carrier(kOtherCarrier), Key("WB-1"), kOrder, Waybill("WB-1")),
               "key.carrier_code: OWN_SHIPMENT");
  ExpectDenied(MayBindShipment(Carrier(kOtherCarrier), Key("WB-1"), "", {}),
               "key.carrier_code: OWN_SHIPMENT");
  // An enterprise, even the order's platform, and staff.
  auth::Viewer platform;
  platform.codes = {"91350100M000100Y43", "3301960001"};
  ExpectDenied(MayBindShipment(platform, Key("WB-1"), kOrder, Waybill("WB-1")),
               "key.carrier_code: OWN_SHIPMENT");
  auth::Viewer staff;
  staff.park_staff = true;
  ExpectDenied(MayBindShipment(staff, Key("WB-1"), "", {}), "key.carrier_code: OWN_SHIPMENT");
  // A caller with no carrier code never matches an empty key.
  ExpectDenied(MayBindShipment(auth::Viewer(), Key("WB-1", ""), "", {}),
               "key.carrier_code: OWN_SHIPMENT");
}

TEST(LogisticsMayBindShipment, TheAdminMay) {
  auth::Viewer admin;
  admin.park_staff = true;
  admin.admin = true;
  EXPECT_TRUE(MayBindShipment(admin, Key("WB-1"), kOrder, {}).ok());
  EXPECT_TRUE(MayBindShipment(admin, Key("WB-1", kOtherCarrier), kOrder, Waybill("WB-2")).ok());
}

TEST(LogisticsCodeOfACarrier, ACarriersCodeIsItsLogisticsCustomsCode) {
  EXPECT_EQ(LogisticsCodeOf(Carrier()), kCarrier);
  auth::Viewer platform;
  platform.codes = {"3301960001"};
  EXPECT_EQ(LogisticsCodeOf(platform), "");
}

}  // namespace
}  // namespace parkline::logistics
