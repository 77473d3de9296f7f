// The mapping tables shipped in services/logistics/data: every UPU EMSEVT and Chinese express
// code the issue names maps where it should, a carrier's own table wins over the shared ones,
// direction decides which customs, unknown codes stay unmapped, and broken tables are refused
// with the file and line.
#include "logistics/status_mapping.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace parkline::logistics {
namespace {

using dv1 = parkline::declarations::v1::Direction;
constexpr dv1 kImport = parkline::declarations::v1::DIRECTION_IMPORT;
constexpr dv1 kExport = parkline::declarations::v1::DIRECTION_EXPORT;

StatusMapping BuiltIn() {
  auto m = StatusMapping::Load("");
  EXPECT_TRUE(m.ok()) << m.status();
  return *m;
}

TEST(LogisticsStatusMapping, UpuEmsevtCodesMapOntoTheModel) {
  StatusMapping m = BuiltIn();
  struct Case {
    const char* code;
    v1::ShipmentStatus status;
    v1::StatusReason reason;
  } cases[] = {
      {"EMA", v1::SHIPMENT_STATUS_PICKED_UP, v1::STATUS_REASON_UNSPECIFIED},
      {"EMC", v1::SHIPMENT_STATUS_DEPARTED_ORIGIN, v1::STATUS_REASON_UNSPECIFIED},
      {"EMD", v1::SHIPMENT_STATUS_ARRIVED_DESTINATION, v1::STATUS_REASON_UNSPECIFIED},
      {"EME", v1::SHIPMENT_STATUS_IMPORT_CUSTOMS, v1::STATUS_REASON_CUSTOMS_HELD},
      {"EDB", v1::SHIPMENT_STATUS_IMPORT_CUSTOMS, v1::STATUS_REASON_CUSTOMS_DECLARED},
      {"EDC", v1::SHIPMENT_STATUS_IMPORT_CUSTOMS, v1::STATUS_REASON_CUSTOMS_RELEASED},
      {"EXB", v1::SHIPMENT_STATUS_EXPORT_CUSTOMS, v1::STATUS_REASON_CUSTOMS_HELD},
      {"EDG", v1::SHIPMENT_STATUS_OUT_FOR_DELIVERY, v1::STATUS_REASON_UNSPECIFIED},
      {"EDH", v1::SHIPMENT_STATUS_AVAILABLE_FOR_PICKUP, v1::STATUS_REASON_UNSPECIFIED},
      {"EMH", v1::SHIPMENT_STATUS_DELIVERY_FAILED, v1::STATUS_REASON_UNSPECIFIED},
      {"EMI", v1::SHIPMENT_STATUS_DELIVERED, v1::STATUS_REASON_UNSPECIFIED},
      {" emi ", v1::SHIPMENT_STATUS_DELIVERED, v1::STATUS_REASON_UNSPECIFIED},
  };
  for (const auto& c : cases) {
    Normalized n = m.Normalize("CP", c.code, kImport);
    EXPECT_TRUE(n.mapped) << c.code;
    EXPECT_EQ(n.status, c.status) << c.code;
    EXPECT_EQ(n.reason, c.reason) << c.code;
    EXPECT_EQ(n.table, "upu_emsevt") << c.code;
  }
}

TEST(LogisticsStatusMapping, ChineseExpressStatesInWordsAndNumbers) {
  StatusMapping m = BuiltIn();
  struct Case {
    const char* code;
    v1::ShipmentStatus status;
  } cases[] = {
      {"在途", v1::SHIPMENT_STATUS_IN_TRANSIT},
      {"0", v1::SHIPMENT_STATUS_IN_TRANSIT},
      {"揽收", v1::SHIPMENT_STATUS_PICKED_UP},
      {"1", v1::SHIPMENT_STATUS_PICKED_UP},
      {"疑难", v1::SHIPMENT_STATUS_EXCEPTION},
      {"2", v1::SHIPMENT_STATUS_EXCEPTION},
      {"签收", v1::SHIPMENT_STATUS_DELIVERED},
      {"3", v1::SHIPMENT_STATUS_DELIVERED},
      {"退签", v1::SHIPMENT_STATUS_RETURNED},
      {"4", v1::SHIPMENT_STATUS_RETURNED},
      {"派件", v1::SHIPMENT_STATUS_OUT_FOR_DELIVERY},
      {"5", v1::SHIPMENT_STATUS_OUT_FOR_DELIVERY},
      {"退回", v1::SHIPMENT_STATUS_RETURNING},
      {"6", v1::SHIPMENT_STATUS_RETURNING},
      {"清关", v1::SHIPMENT_STATUS_IMPORT_CUSTOMS},
      {"拒签", v1::SHIPMENT_STATUS_DELIVERY_FAILED},
      {"投柜或驿站", v1::SHIPMENT_STATUS_AVAILABLE_FOR_PICKUP},
  };
  for (const auto& c : cases) {
    Normalized n = m.Normalize("YTO", c.code, kImport);
    EXPECT_TRUE(n.mapped) << c.code;
    EXPECT_EQ(n.status, c.status) << c.code;
  }
  Normalized lost = m.Normalize("YTO", "丢失", kImport);
  EXPECT_EQ(lost.status, v1::SHIPMENT_STATUS_EXCEPTION);
  EXPECT_EQ(lost.reason, v1::STATUS_REASON_LOST);
  Normalized damaged = m.Normalize("YTO", "破损", kImport);
  EXPECT_EQ(damaged.reason, v1::STATUS_REASON_DAMAGED);
  Normalized cleared = m.Normalize("YTO", "已清关", kImport);
  EXPECT_EQ(cleared.reason, v1::STATUS_REASON_CUSTOMS_RELEASED);
}

TEST(LogisticsStatusMapping, CustomsStatesFollowTheShipmentsDirection) {
  StatusMapping m = BuiltIn();
  EXPECT_EQ(m.Normalize("SF", "清关中", kImport).status, v1::SHIPMENT_STATUS_IMPORT_CUSTOMS);
  EXPECT_EQ(m.Normalize("SF", "清关中", kExport).status, v1::SHIPMENT_STATUS_EXPORT_CUSTOMS);
}

TEST(LogisticsStatusMapping, Ceb513SignedForIsDelivered) {
  StatusMapping m = BuiltIn();
  EXPECT_EQ(m.Normalize("1101180326", "S", kImport).status, v1::SHIPMENT_STATUS_DELIVERED);
}

TEST(LogisticsStatusMapping, AnUnknownCodeIsUnmappedNotGuessed) {
  StatusMapping m = BuiltIn();
  Normalized n = m.Normalize("SF", "X-NOT-A-CODE", kImport);
  EXPECT_FALSE(n.mapped);
  EXPECT_EQ(n.status, v1::SHIPMENT_STATUS_UNSPECIFIED);
  EXPECT_TRUE(n.table.empty());
}

TEST(LogisticsStatusMapping, ACarriersOwnTableGoesFirstAndOthersKeepTheShared) {
  std::map<std::string, std::string> files = BuiltInMappingFiles();
  files["sf.csv"] =
      "code,status,reason,description\n"
      "# SF's own codes\n"
      "50,PICKED_UP,,收件\n"
      "3,IN_TRANSIT,,SF uses 3 for a scan in transit\n";
  files["carriers.csv"] += "SF,sf;cn_express\n";
  auto m = StatusMapping::FromFiles(files);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->Normalize("SF", "50", kImport).status, v1::SHIPMENT_STATUS_PICKED_UP);
  EXPECT_EQ(m->Normalize("SF", "50", kImport).table, "sf");
  EXPECT_EQ(m->Normalize("SF", "3", kImport).status, v1::SHIPMENT_STATUS_IN_TRANSIT);
  EXPECT_EQ(m->Normalize("SF", "签收", kImport).status, v1::SHIPMENT_STATUS_DELIVERED);
  // SF's line names no UPU table; every other carrier keeps the default order.
  EXPECT_FALSE(m->Normalize("SF", "EMA", kImport).mapped);
  EXPECT_EQ(m->Normalize("YTO", "3", kImport).status, v1::SHIPMENT_STATUS_DELIVERED);
  EXPECT_EQ(m->Normalize("YTO", "50", kImport).mapped, false);
}

TEST(LogisticsStatusMapping, AFolderAddsACarriersTableWithoutARebuild) {
  std::string dir = ::testing::TempDir() + "/logistics-mapping-" + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/zto.csv") << "code,status,reason,description\nZ1,PICKED_UP,,揽件\n";
  std::ofstream(dir + "/carriers.csv") << "carrier_code,tables\nZTO,zto;cn_express\n";
  auto m = StatusMapping::Load(dir);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->Normalize("ZTO", "Z1", kImport).status, v1::SHIPMENT_STATUS_PICKED_UP);
  EXPECT_EQ(m->Normalize("ZTO", "派件", kImport).status, v1::SHIPMENT_STATUS_OUT_FOR_DELIVERY);
  EXPECT_EQ(m->Normalize("SF", "EMA", kImport).status, v1::SHIPMENT_STATUS_PICKED_UP);
  EXPECT_FALSE(m->Normalize("SF", "Z1", kImport).mapped);
  std::filesystem::remove_all(dir);
  EXPECT_EQ(StatusMapping::Load(dir).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(LogisticsStatusMapping, BrokenTablesAreRefusedWithFileAndLine) {
  auto files = BuiltInMappingFiles();
  files["bad.csv"] = "code,status,reason,description\nA1,NOT_A_STATUS,,x\n";
  auto m = StatusMapping::FromFiles(files);
  ASSERT_EQ(m.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(m.status().message().find("bad.csv:2"), std::string::npos) << m.status();

  files = BuiltInMappingFiles();
  files["carriers.csv"] += "ZZ,no_such_table\n";
  EXPECT_EQ(StatusMapping::FromFiles(files).status().code(), absl::StatusCode::kInvalidArgument);

  files = BuiltInMappingFiles();
  files["twice.csv"] = "A,PICKED_UP,,\na,DELIVERED,,\n";
  EXPECT_EQ(StatusMapping::FromFiles(files).status().code(), absl::StatusCode::kInvalidArgument);

  files = BuiltInMappingFiles();
  files["stale.csv"] = "A,STALE,,the park's own mark, not a carrier's\n";
  EXPECT_EQ(StatusMapping::FromFiles(files).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace parkline::logistics
