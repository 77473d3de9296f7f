// Collects every rule a request breaks, so that a caller learns all of them in one answer, and
// turns them into one INVALID_ARGUMENT status: the message lists "field: rule" pairs and the
// status carries a google.rpc.BadRequest payload that the gRPC edge sends as a status detail.
//
// Not thread-safe; one per validation.
#ifndef PARKLINE_ERRORS_VIOLATIONS_H_
#define PARKLINE_ERRORS_VIOLATIONS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace parkline::errors {

// The absl::Status payload key under which a serialized google.rpc.BadRequest travels.
inline constexpr absl::string_view kBadRequestTypeUrl = "type.googleapis.com/google.rpc.BadRequest";

struct Violation {
  std::string field;        // "enterprise.uscc", "enterprise.unit_ids[1]"
  std::string reason;       // "CHECK_CHARACTER", "REQUIRED", "UNKNOWN_UNIT" ...
  std::string description;  // what is wrong, in words
};

class Violations {
 public:
  void Add(absl::string_view field, absl::string_view reason, absl::string_view description);
  // Adds `rule` unless it is empty: fits the validators of libs/ids, which return "" when valid.
  void AddIf(absl::string_view field, absl::string_view reason, const std::string& rule);

  bool empty() const { return list_.empty(); }
  const std::vector<Violation>& list() const { return list_; }

  // OK when empty; otherwise INVALID_ARGUMENT with every violation.
  absl::Status ToStatus() const;

 private:
  std::vector<Violation> list_;
};

// The violations a status carries (empty when it has no BadRequest payload). For tests and logs.
std::vector<Violation> ViolationsOf(const absl::Status& status);

}  // namespace parkline::errors

#endif  // PARKLINE_ERRORS_VIOLATIONS_H_
