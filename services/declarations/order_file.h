// The documents and declaration of one order as the declarations desk's transaction sees them:
// matching the order again when one of its documents changed, and ending its declaration when
// the order is withdrawn. Reads and writes go through the transaction's DeclarationRepository,
// which remembers what it read (so a rematch reads each row once) and holds writes back to go
// with the next statement (Transaction::ExecuteLater).
//
// Lives for one attempt of one transaction; not thread-safe.
#ifndef PARKLINE_DECLARATIONS_ORDER_FILE_H_
#define PARKLINE_DECLARATIONS_ORDER_FILE_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "declarations/declaration_matcher.h"
#include "declarations/declaration_repository.h"
#include "declarations/quota_ledger.h"
#include "google/protobuf/message.h"
#include "store/database.h"

namespace parkline::declarations {

// Appends `event` about `subject` to the outbox on the declarations topic (kTopic), in `tx`.
absl::Status Publish(store::Transaction& tx, absl::string_view subject,
                     const google::protobuf::Message& event);

class OrderFile {
 public:
  OrderFile(DeclarationRepository& repo, store::Transaction& tx, const QuotaLimits& limits)
      : repo_(repo), tx_(tx), limits_(limits) {}

  // Matches the order `ebp_code`/`order_no` again after one of its documents changed; stores the
  // declaration, reserves or releases the quota and publishes when its outcome changed. Sets
  // `published` when it appended an event.
  absl::Status Rematch(const std::string& ebp_code, const std::string& order_no, bool& published);

  // Ends the declaration of the order `order_key` (when it has one) after the order was
  // withdrawn, and gives the buyer's quota back. Sets `published` when it appended an event.
  absl::Status Withdraw(const std::string& order_key, bool& published);

 private:
  // The live documents of the order `key`: its payment or receipt under the key of the enterprise
  // it names, and the first live waybill carrying `order_no` whose platform and logistics
  // enterprise are the order's; nullopt while the order itself has not come.
  absl::StatusOr<std::optional<DocumentSet>> Read(const std::string& key,
                                                  const std::string& order_no);

  template <typename Doc>
  absl::StatusOr<std::optional<Doc>> Load(v1::DocumentKind kind, const std::string& key);

  // Publishes `d`'s verdict (DeclarationMatched or DeclarationRejected), saying whether it is the
  // order's first of its kind (DeclarationRepository::MarkVerdict).
  template <typename Verdict>
  absl::Status PublishVerdict(const v1::Declaration& d, bool& published);

  DeclarationRepository& repo_;
  store::Transaction& tx_;
  const QuotaLimits& limits_;
};

}  // namespace parkline::declarations

#endif  // PARKLINE_DECLARATIONS_ORDER_FILE_H_
