// SQL for the registry's tables: reads and writes API messages inside a caller's transaction.
// No rules here (enterprise_rules.h) and no events (enterprise_desk.h).
#ifndef PARKLINE_ENTERPRISES_ENTERPRISE_REPOSITORY_H_
#define PARKLINE_ENTERPRISES_ENTERPRISE_REPOSITORY_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "parkline/enterprises/v1/enterprises.pb.h"
#include "store/database.h"

namespace parkline::enterprises {

namespace v1 = ::parkline::enterprises::v1;

class EnterpriseRepository {
 public:
  explicit EnterpriseRepository(store::Transaction& tx) : tx_(tx) {}

  absl::StatusOr<std::optional<v1::Unit>> FindUnit(const std::string& unit_id);
  absl::Status SaveUnit(const v1::Unit& unit, int64_t area_centi_m2);
  // Units ordered by id, after `after_id`.
  absl::StatusOr<std::vector<v1::Unit>> ListUnits(const std::string& after_id, int limit);
  absl::StatusOr<int64_t> TotalAreaCentiM2();
  // For each given unit id that is defined: its occupant's USCC, or "" when vacant.
  absl::StatusOr<std::map<std::string, std::string>> Occupants(
      const google::protobuf::RepeatedPtrField<std::string>& unit_ids);

  absl::StatusOr<std::optional<v1::Enterprise>> FindEnterprise(const std::string& uscc);
  // The USCC of another enterprise already registered with `customs_code`, or "".
  absl::StatusOr<std::string> CustomsCodeHolder(const std::string& customs_code,
                                                const std::string& except_uscc);
  // Inserts or replaces the enterprise and its occupancy rows (unit_ids).
  absl::Status SaveEnterprise(const v1::Enterprise& enterprise);
  absl::StatusOr<std::vector<v1::Enterprise>> ListEnterprises(v1::EnterpriseRole role,
                                                              v1::EnterpriseStatus status,
                                                              const std::string& after_uscc,
                                                              int limit);

  absl::StatusOr<std::optional<v1::IpAsset>> FindIpAsset(v1::IpAssetKind kind,
                                                         const std::string& registration_no);
  absl::Status InsertIpAsset(const v1::IpAsset& asset);
  absl::StatusOr<std::vector<v1::IpAsset>> ListIpAssets(const std::string& uscc);

  absl::StatusOr<std::optional<v1::TalentFigures>> FindTalent(const std::string& uscc, int year);
  absl::Status SaveTalent(const v1::TalentFigures& talent);

 private:
  // Enterprises from rows of kEnterpriseColumns, with their units.
  absl::StatusOr<std::vector<v1::Enterprise>> ReadEnterprises(std::vector<store::Row> rows);

  store::Transaction& tx_;
};

}  // namespace parkline::enterprises

#endif  // PARKLINE_ENTERPRISES_ENTERPRISE_REPOSITORY_H_
