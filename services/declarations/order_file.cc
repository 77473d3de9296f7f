#include "declarations/order_file.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "declarations/declaration_desk.h"
#include "declarations/filing_rules.h"
#include "events/outbox.h"
#include "google/protobuf/util/time_util.h"
#include "parkline/declarations/v1/events.pb.h"
#include "runtime/job_errors.h"

namespace parkline::declarations {

absl::Status Publish(store::Transaction& tx, absl::string_view subject,
                     const google::protobuf::Message& event) {
  return events::AppendToOutbox(tx, events::NewEvent(kTopic, kSource, subject, event, absl::Now()));
}

template <typename Doc>
absl::StatusOr<std::optional<Doc>> OrderFile::Load(v1::DocumentKind kind, const std::string& key) {
  auto stored = repo_.FindDocument(kind, key);
  if (!stored.ok()) return stored.status();
  if (!*stored || (*stored)->withdrawn) return std::optional<Doc>();
  Doc doc;
  if (!doc.ParseFromString((*stored)->payload)) {
    return runtime::UnreadableRow("documents",
                                  absl::StrCat("stored document ", key, " is unreadable"));
  }
  return std::optional<Doc>(std::move(doc));
}

absl::Status OrderFile::Rematch(const std::string& ebp_code, const std::string& order_no,
                                bool& published) {
  std::string key = OrderKey(ebp_code, order_no);
  auto previous = repo_.FindDeclaration(key);
  if (!previous.ok()) return previous.status();
  if (*previous && (*previous)->status() == v1::DECLARATION_STATUS_MATCHED) {
    return absl::OkStatus();  // final: changes to a matched set are refused before this
  }
  auto read = Read(key, order_no);
  if (!read.ok()) return read.status();
  if (!*read) return absl::OkStatus();  // waiting for the order; nothing to declare yet
  const DocumentSet& set = **read;
  bool import = set.order->direction() == v1::DIRECTION_IMPORT;
  auto year = QuotaYear(set.order->app_time());
  // The buyer's quota counts only for a complete set (Match checks the limits then): an order
  // still waiting for its partners costs no statement here.
  bool counts_quota = import && year.ok() && IsComplete(set);
  std::string buyer;
  int64_t used = 0;
  if (counts_quota) {
    buyer = set.order->buyer_id_number();  // the repository keys it (a pseudonym)
    auto u = repo_.QuotaUsed(buyer, *year, key);
    if (!u.ok()) return u.status();
    used = *u;
  }
  v1::Declaration d = Match(set, limits_, used);
  if (*previous) {
    v1::Declaration old = **previous;
    old.clear_update_time();
    if (old.SerializeAsString() == d.SerializeAsString()) return absl::OkStatus();
  }
  int64_t now = absl::ToUnixMicros(absl::Now());
  *d.mutable_update_time() = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(now);
  if (auto s = repo_.SaveDeclaration(d, now); !s.ok()) return s;
  if (d.status() == v1::DECLARATION_STATUS_MATCHED) {
    if (counts_quota) {
      auto value = QuotaValue(*set.order);
      if (!value.ok()) return value.status();
      if (auto s = repo_.Reserve(key, buyer, *year, *value); !s.ok()) return s;
    }
    return PublishVerdict<v1::DeclarationMatched>(d, published);
  }
  if (d.status() == v1::DECLARATION_STATUS_REJECTED) {
    return PublishVerdict<v1::DeclarationRejected>(d, published);
  }
  return absl::OkStatus();
}

template <typename Verdict>
absl::Status OrderFile::PublishVerdict(const v1::Declaration& d, bool& published) {
  Verdict event;
  *event.mutable_declaration() = d;
  auto first = repo_.MarkVerdict(d.order_key(), d.status());
  if (!first.ok()) return first.status();
  if (*first) event.set_first_for_order(**first);
  published = true;
  return Publish(tx_, d.order_key(), event);
}

absl::Status OrderFile::Withdraw(const std::string& order_key, bool& published) {
  auto d = repo_.FindDeclaration(order_key);
  if (!d.ok()) return d.status();
  if (!*d) return absl::OkStatus();
  v1::Declaration withdrawn = **d;
  withdrawn.set_status(v1::DECLARATION_STATUS_WITHDRAWN);
  int64_t now = absl::ToUnixMicros(absl::Now());
  *withdrawn.mutable_update_time() = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(now);
  if (auto s = repo_.SaveDeclaration(withdrawn, now); !s.ok()) return s;
  if (auto s = repo_.Release(order_key); !s.ok()) return s;
  v1::DeclarationWithdrawn event;
  *event.mutable_declaration() = withdrawn;
  published = true;
  return Publish(tx_, order_key, event);
}

absl::StatusOr<std::optional<DocumentSet>> OrderFile::Read(const std::string& key,
                                                           const std::string& order_no) {
  DocumentSet set;
  auto order = Load<v1::Order>(v1::DOCUMENT_KIND_ORDER, key);
  if (!order.ok()) return order.status();
  if (!*order) return std::optional<DocumentSet>();
  set.order = std::move(*order);
  // The partners the order names, each under its own sender's key: a document filed by anyone
  // else sits beside them and takes no part (filing_rules.h). Read together with the waybills,
  // in one round trip.
  bool import = set.order->direction() == v1::DIRECTION_IMPORT;
  DeclarationRepository::ReadAhead reads;
  reads.also = {
      import ? std::make_pair(v1::DOCUMENT_KIND_PAYMENT, PaymentKey(set.order->pay_code(), key))
             : std::make_pair(v1::DOCUMENT_KIND_RECEIPT, ReceiptKey(set.order->ebc_code(), key))};
  reads.live_kind = v1::DOCUMENT_KIND_WAYBILL;
  reads.order_no = order_no;
  if (auto s = repo_.Prefetch(reads); !s.ok()) return s;
  if (import) {
    auto payment =
        Load<v1::Payment>(v1::DOCUMENT_KIND_PAYMENT, PaymentKey(set.order->pay_code(), key));
    if (!payment.ok()) return payment.status();
    set.payment = std::move(*payment);
  } else {
    auto receipt =
        Load<v1::Receipt>(v1::DOCUMENT_KIND_RECEIPT, ReceiptKey(set.order->ebc_code(), key));
    if (!receipt.ok()) return receipt.status();
    set.receipt = std::move(*receipt);
  }
  auto waybills = repo_.LiveDocumentsFor(v1::DOCUMENT_KIND_WAYBILL, order_no);
  if (!waybills.ok()) return waybills.status();
  for (const std::string& payload : *waybills) {
    v1::Waybill w;
    if (!w.ParseFromString(payload))
      return runtime::UnreadableRow("documents", "a stored waybill is unreadable");
    // Its platform and its logistics enterprise must both be the order's.
    if (w.ebp_code() != set.order->ebp_code() ||
        w.logistics_code() != set.order->logistics_code()) {
      continue;
    }
    set.waybill = std::move(w);
    break;
  }
  return std::optional<DocumentSet>(std::move(set));
}

}  // namespace parkline::declarations
