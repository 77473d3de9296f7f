#include "tests/support/plaintext_scan.h"

#include <gtest/gtest.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "tests/support/tamper_witness.h"

namespace parkline::testing {

std::string AllRowsOf(store::Database& db) {
  std::string all;
  for (const auto& [table, rows] : PictureOf(db)) {
    for (const std::string& row : rows) absl::StrAppend(&all, table, ": ", row, "\n");
  }
  return all;
}

void ExpectNowhereInClear(store::Database& db, const std::string& what, const std::string& value) {
  ASSERT_FALSE(value.empty()) << what;
  std::string all = AllRowsOf(db);
  for (const std::string& form : {value, absl::CHexEscape(value), absl::BytesToHexString(value)}) {
    size_t at = all.find(form);
    if (at == std::string::npos) continue;
    size_t line = all.rfind('\n', at) + 1;  // npos + 1 == 0 on the first line
    ADD_FAILURE() << what << " is stored in clear in "
                  << all.substr(line, all.find(':', line) - line);
  }
}

std::vector<std::string> ColumnOf(store::Database& db, const std::string& sql) {
  std::vector<std::string> out;
  absl::Status status = db.Read([&](store::Transaction& tx) -> absl::Status {
    auto rows = tx.Query(sql);
    if (!rows.ok()) return rows.status();
    out.clear();
    for (const auto& r : *rows) out.push_back(r.IsNull(0) ? "NULL" : r.Text(0));
    return absl::OkStatus();
  });
  EXPECT_TRUE(status.ok()) << sql << ": " << status;
  return out;
}

}  // namespace parkline::testing
