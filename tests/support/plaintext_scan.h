// Whether a personal value is stored in clear anywhere in a service's database: every row of
// every table (the outbox included), as the tamper witness renders them (tamper_witness.h),
// searched for the value as text, as the C-escaped text of a blob, and as hex. What the tests of
// personal data at rest (#18 item 5) assert, for declarations and clearance alike.
#ifndef PARKLINE_TESTS_SUPPORT_PLAINTEXT_SCAN_H_
#define PARKLINE_TESTS_SUPPORT_PLAINTEXT_SCAN_H_

#include <string>
#include <vector>

#include "store/database.h"

namespace parkline::testing {

// Every row of every table, one per line, each prefixed with its table's name and ": ".
std::string AllRowsOf(store::Database& db);

// Fails the test naming `what` and the table where `value` (non-empty) is stored in clear.
void ExpectNowhereInClear(store::Database& db, const std::string& what, const std::string& value);

// The first column of every row `sql` selects, as text ("NULL" for a null): what a test reads
// of a column it checks (a key id, a sealed blob erased).
std::vector<std::string> ColumnOf(store::Database& db, const std::string& sql);

}  // namespace parkline::testing

#endif  // PARKLINE_TESTS_SUPPORT_PLAINTEXT_SCAN_H_
