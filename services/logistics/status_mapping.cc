#include "logistics/status_mapping.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace parkline::logistics {
namespace {

namespace v1 = parkline::logistics::v1;
constexpr absl::string_view kCarriersFile = "carriers.csv";

std::string CanonicalCode(absl::string_view code) {
  return absl::AsciiStrToUpper(absl::StripAsciiWhitespace(code));
}

// The data lines of a CSV file as (line number, fields); comments, blank lines and the header
// (its first field is `header`) are left out.
std::vector<std::pair<int, std::vector<std::string>>> DataLines(const std::string& text,
                                                                absl::string_view header) {
  std::vector<std::pair<int, std::vector<std::string>>> lines;
  int number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++number;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line.front() == '#') continue;
    std::vector<std::string> fields = absl::StrSplit(line, ',');
    for (auto& f : fields) f = std::string(absl::StripAsciiWhitespace(f));
    if (fields.front() == header) continue;
    lines.emplace_back(number, std::move(fields));
  }
  return lines;
}

absl::Status LineError(absl::string_view file, int line, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(file, ":", line, ": ", what));
}

}  // namespace

absl::StatusOr<StatusMapping> StatusMapping::FromFiles(
    const std::map<std::string, std::string>& files) {
  StatusMapping mapping;
  for (const auto& [name, text] : files) {
    if (name == kCarriersFile || !absl::EndsWith(name, ".csv")) continue;
    std::string table = std::string(absl::StripSuffix(name, ".csv"));
    auto& rows = mapping.tables_[table];
    for (const auto& [line, fields] : DataLines(text, "code")) {
      if (fields.size() < 2)
        return LineError(name, line, "expected code,status,reason,description");
      if (fields[0].empty()) return LineError(name, line, "empty code");
      Row row;
      if (fields[1] == "CUSTOMS") {
        row.by_direction = true;
        row.status = v1::SHIPMENT_STATUS_IMPORT_CUSTOMS;
      } else if (!v1::ShipmentStatus_Parse(absl::StrCat("SHIPMENT_STATUS_", fields[1]),
                                           &row.status) ||
                 row.status == v1::SHIPMENT_STATUS_UNSPECIFIED ||
                 row.status == v1::SHIPMENT_STATUS_STALE) {
        return LineError(name, line, absl::StrCat("unknown status '", fields[1], "'"));
      }
      if (fields.size() > 2 && !fields[2].empty() &&
          !v1::StatusReason_Parse(absl::StrCat("STATUS_REASON_", fields[2]), &row.reason)) {
        return LineError(name, line, absl::StrCat("unknown reason '", fields[2], "'"));
      }
      if (!rows.emplace(CanonicalCode(fields[0]), row).second) {
        return LineError(name, line, absl::StrCat("code '", fields[0], "' twice"));
      }
    }
  }
  auto carriers = files.find(std::string(kCarriersFile));
  if (carriers == files.end()) return absl::InvalidArgumentError("no carriers.csv");
  for (const auto& [line, fields] : DataLines(carriers->second, "carrier_code")) {
    if (fields.size() != 2 || fields[0].empty()) {
      return LineError(kCarriersFile, line, "expected carrier_code,tables");
    }
    std::vector<std::string> tables = absl::StrSplit(fields[1], ';', absl::SkipWhitespace());
    for (auto& t : tables) {
      t = std::string(absl::StripAsciiWhitespace(t));
      if (mapping.tables_.count(t) == 0) {
        return LineError(kCarriersFile, line, absl::StrCat("no table '", t, "'"));
      }
    }
    mapping.carriers_[fields[0]] = std::move(tables);
  }
  if (mapping.carriers_.count("*") == 0) {
    return absl::InvalidArgumentError("carriers.csv: no line for \"*\" (every other carrier)");
  }
  return mapping;
}

absl::StatusOr<StatusMapping> StatusMapping::Load(const std::string& extra_dir) {
  std::map<std::string, std::string> files = BuiltInMappingFiles();
  if (!extra_dir.empty()) {
    std::error_code ec;
    std::filesystem::directory_iterator it(extra_dir, ec);
    if (ec) return absl::InvalidArgumentError(absl::StrCat("mapping_dir: ", ec.message()));
    for (const auto& entry : it) {
      if (entry.path().extension() != ".csv") continue;
      std::ifstream in(entry.path());
      std::stringstream text;
      text << in.rdbuf();
      std::string name = entry.path().filename().string();
      if (name == kCarriersFile) {
        // Carrier lines of the folder come after (and so replace) the built-in ones.
        files[name] += "\n" + text.str();
      } else {
        files[name] = text.str();
      }
    }
  }
  return FromFiles(files);
}

const std::vector<std::string>& StatusMapping::TablesOf(absl::string_view carrier_code) const {
  auto it = carriers_.find(carrier_code);
  return it != carriers_.end() ? it->second : carriers_.find("*")->second;
}

Normalized StatusMapping::Normalize(absl::string_view carrier_code, absl::string_view code,
                                    parkline::declarations::v1::Direction direction) const {
  std::string key = CanonicalCode(code);
  for (const std::string& table : TablesOf(carrier_code)) {
    const auto& rows = tables_.at(table);
    auto row = rows.find(key);
    if (row == rows.end()) continue;
    Normalized n{true, row->second.status, row->second.reason, table, row->second.by_direction};
    if (n.by_direction && direction == parkline::declarations::v1::DIRECTION_EXPORT) {
      n.status = v1::SHIPMENT_STATUS_EXPORT_CUSTOMS;
    }
    return n;
  }
  return {};
}

}  // namespace parkline::logistics
