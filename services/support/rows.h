// Reading the support service's rows back: each table keeps its protobuf in `payload` and, for
// the writes recognised by request_id, the request's digest. Templates over the message type,
// inside the caller's transaction.
#ifndef PARKLINE_SUPPORT_ROWS_H_
#define PARKLINE_SUPPORT_ROWS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "store/database.h"

namespace parkline::support {

template <typename T>
struct Stored {
  T value;
  std::string request_digest;
};

// Column 0 of each row, parsed as T; DATA_LOSS when one does not parse.
template <typename T>
absl::StatusOr<std::vector<T>> ParseRows(const std::vector<store::Row>& rows) {
  std::vector<T> out;
  for (const store::Row& row : rows) {
    T value;
    if (!value.ParseFromString(row.Text(0))) {
      return absl::DataLossError(
          absl::StrCat("a stored ", T::descriptor()->name(), " does not parse"));
    }
    out.push_back(std::move(value));
  }
  return out;
}

// The row of `table` whose `column` is `key`. `column` is one of the callers' constants, never
// input.
template <typename T>
absl::StatusOr<std::optional<Stored<T>>> FindStored(store::Transaction& tx,
                                                    const std::string& table,
                                                    const std::string& column,
                                                    const std::string& key) {
  auto rows = tx.Query(
      absl::StrCat("SELECT payload, request_digest FROM ", table, " WHERE ", column, " = $1"),
      {key});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<Stored<T>>();
  auto parsed = ParseRows<T>(*rows);
  if (!parsed.ok()) return parsed.status();
  return std::optional<Stored<T>>(Stored<T>{std::move(parsed->front()), rows->front().Text(1)});
}

}  // namespace parkline::support

#endif  // PARKLINE_SUPPORT_ROWS_H_
