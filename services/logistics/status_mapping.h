// Translates each carrier's own tracking codes into the normalized status model (6.5.4), with
// tables kept as data in the repository (services/logistics/data/*.csv, built into the binary)
// and extendable per carrier without a rebuild (--mapping_dir: more tables, and a carriers.csv
// that says which tables each carrier uses, first table first).
//
// A table is CSV: `code,status,reason,description`, '#' starts a comment line. `status` is a
// logistics.v1.ShipmentStatus name without its prefix ("PICKED_UP"), or CUSTOMS for
// IMPORT_CUSTOMS or EXPORT_CUSTOMS by the shipment's direction; `reason` a StatusReason name
// without its prefix, or empty. carriers.csv is `carrier_code,tables` with tables separated by
// ';' and "*" for every carrier without a line of its own.
//
// Immutable after construction; thread-safe.
#ifndef PARKLINE_LOGISTICS_STATUS_MAPPING_H_
#define PARKLINE_LOGISTICS_STATUS_MAPPING_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "parkline/declarations/v1/documents.pb.h"
#include "parkline/logistics/v1/logistics.pb.h"

namespace parkline::logistics {

struct Normalized {
  bool mapped = false;
  logistics::v1::ShipmentStatus status = logistics::v1::SHIPMENT_STATUS_UNSPECIFIED;
  logistics::v1::StatusReason reason = logistics::v1::STATUS_REASON_UNSPECIFIED;
  // The table that knew the code ("upu_emsevt"); empty when unmapped.
  std::string table;
  // The code's status goes by the shipment's direction (CUSTOMS in the table): EXPORT_CUSTOMS for
  // an export, IMPORT_CUSTOMS otherwise, also while the direction is unknown.
  bool by_direction = false;
};

class StatusMapping {
 public:
  // Builds the mapping from files: name ("upu_emsevt.csv", "carriers.csv") -> contents.
  // INVALID_ARGUMENT names the file, the line and what is wrong (an unknown status, a carrier
  // naming a table that does not exist, a code twice in one table).
  static absl::StatusOr<StatusMapping> FromFiles(const std::map<std::string, std::string>& files);

  // The tables built into the binary, plus (when `extra_dir` is not empty) every *.csv in that
  // folder, whose tables and carrier lines replace built-in ones of the same name.
  static absl::StatusOr<StatusMapping> Load(const std::string& extra_dir);

  // `code` is compared after trimming whitespace, ASCII letters in upper case.
  Normalized Normalize(absl::string_view carrier_code, absl::string_view code,
                       parkline::declarations::v1::Direction direction) const;

  // The tables a carrier's codes go through, in order.
  const std::vector<std::string>& TablesOf(absl::string_view carrier_code) const;

 private:
  struct Row {
    bool by_direction = false;
    logistics::v1::ShipmentStatus status = logistics::v1::SHIPMENT_STATUS_UNSPECIFIED;
    logistics::v1::StatusReason reason = logistics::v1::STATUS_REASON_UNSPECIFIED;
  };
  std::map<std::string, std::map<std::string, Row>> tables_;
  std::map<std::string, std::vector<std::string>, std::less<>> carriers_;
};

// The built-in data files (generated from services/logistics/data at build time).
const std::map<std::string, std::string>& BuiltInMappingFiles();

}  // namespace parkline::logistics

#endif  // PARKLINE_LOGISTICS_STATUS_MAPPING_H_
