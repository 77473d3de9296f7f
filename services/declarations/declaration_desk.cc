#include "declarations/declaration_desk.h"

#include <memory>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "declarations/amount.h"
#include "declarations/buyer_quota_access.h"
#include "declarations/declaration_matcher.h"
#include "declarations/declaration_metrics.h"
#include "declarations/declaration_repository.h"
#include "declarations/document_intake.h"
#include "declarations/document_rules.h"
#include "declarations/filing_rules.h"
#include "declarations/order_file.h"
#include "errors/violations.h"
#include "events/outbox.h"
#include "google/protobuf/util/time_util.h"
#include "paging/page.h"
#include "parkline/declarations/v1/events.pb.h"

namespace parkline::declarations {
namespace {

// Waiting documents expired by one pass of ExpireWaiting.
constexpr int kExpireBatch = 500;

// ListWaitingDocuments' token: "<received_at micros>/<doc_key>" of the last document of the
// page before.
constexpr paging::KeyFormat kWaitingKey{2, '/', true};

template <typename Doc>
std::string Canonical(Doc doc) {
  doc.set_app_type(v1::APP_TYPE_UNSPECIFIED);
  return doc.SerializeAsString();
}

DeclarationDesk::Incoming FromOrder(const v1::Order& o, std::string field) {
  DeclarationDesk::Incoming in{v1::DOCUMENT_KIND_ORDER,
                               std::move(field),
                               OrderKey(o.ebp_code(), o.order_no()),
                               o.order_no(),
                               o.ebp_code(),
                               o.guid(),
                               o.app_type(),
                               Canonical(o),
                               {},
                               o.direction(),
                               BusinessModeOf(o),
                               o.ebc_code(),
                               "",
                               OrderKey(o.ebp_code(), o.order_no())};
  in.codes = {{in.field + ".ebp_code", o.ebp_code()},
              {in.field + ".ebc_code", o.ebc_code()},
              {in.field + ".logistics_code", o.logistics_code()}};
  if (o.direction() == v1::DIRECTION_IMPORT) {
    in.codes.push_back({in.field + ".pay_code", o.pay_code()});
    in.partner_kind = v1::DOCUMENT_KIND_PAYMENT;
    in.partner_key = PaymentKey(o.pay_code(), in.order_key);
  } else {
    in.partner_kind = v1::DOCUMENT_KIND_RECEIPT;
    in.partner_key = ReceiptKey(o.ebc_code(), in.order_key);
  }
  return in;
}

DeclarationDesk::Incoming FromPayment(const v1::Payment& p, std::string field) {
  DeclarationDesk::Incoming in{v1::DOCUMENT_KIND_PAYMENT,
                               std::move(field),
                               PaymentKey(p.pay_code(), OrderKey(p.ebp_code(), p.order_no())),
                               p.order_no(),
                               p.ebp_code(),
                               p.guid(),
                               p.app_type(),
                               Canonical(p),
                               {},
                               v1::DIRECTION_IMPORT,
                               "",
                               p.pay_code(),
                               "",
                               OrderKey(p.ebp_code(), p.order_no())};
  in.codes = {{in.field + ".pay_code", p.pay_code()}, {in.field + ".ebp_code", p.ebp_code()}};
  in.partner_kind = v1::DOCUMENT_KIND_ORDER;
  in.partner_key = in.order_key;
  return in;
}

DeclarationDesk::Incoming FromReceipt(const v1::Receipt& r, std::string field) {
  DeclarationDesk::Incoming in{v1::DOCUMENT_KIND_RECEIPT,
                               std::move(field),
                               ReceiptKey(r.ebc_code(), OrderKey(r.ebp_code(), r.order_no())),
                               r.order_no(),
                               r.ebp_code(),
                               r.guid(),
                               r.app_type(),
                               Canonical(r),
                               {},
                               v1::DIRECTION_EXPORT,
                               "",
                               r.ebc_code(),
                               "",
                               OrderKey(r.ebp_code(), r.order_no())};
  in.codes = {{in.field + ".ebc_code", r.ebc_code()}, {in.field + ".pay_code", r.pay_code()}};
  in.partner_kind = v1::DOCUMENT_KIND_ORDER;
  in.partner_key = in.order_key;
  return in;
}

DeclarationDesk::Incoming FromWaybill(const v1::Waybill& w, std::string field) {
  DeclarationDesk::Incoming in{v1::DOCUMENT_KIND_WAYBILL,
                               std::move(field),
                               WaybillKey(w.logistics_code(), w.logistics_no()),
                               w.order_no(),
                               w.ebp_code(),
                               w.guid(),
                               w.app_type(),
                               Canonical(w),
                               {},
                               w.direction(),
                               "",
                               w.logistics_code(),
                               w.logistics_no(),
                               // Always the order of its platform and number, come or not:
                               // logistics tracks the shipment under this key.
                               OrderKey(w.ebp_code(), w.order_no())};
  in.codes = {{in.field + ".logistics_code", w.logistics_code()},
              {in.field + ".ebp_code", w.ebp_code()}};
  in.partner_kind = v1::DOCUMENT_KIND_ORDER;
  in.partner_key = in.order_key;
  return in;
}

}  // namespace

DeclarationDesk::DeclarationDesk(store::Database& db, store::GroupCommitter& writer,
                                 std::function<void()> events_committed, secrets::KeyRing keys,
                                 QuotaLimits limits)
    : db_(db),
      writer_(writer),
      events_committed_(std::move(events_committed)),
      keys_(std::move(keys)),
      limits_(limits) {}

// What one submission's function in the group commit reads and fills, kept together: a caller
// that waits keeps it on its stack, one that does not leaves it on the heap until it is done.
class DeclarationDesk::Submission {
 public:
  Submission(DeclarationDesk& desk, std::vector<Incoming> documents, const auth::Viewer& viewer)
      : desk_(desk),
        documents_(std::move(documents)),
        viewer_(viewer),
        first_(FirstReads(documents_)),
        ahead_(ReadAheadFor(documents_, first_)) {}
  Submission(const Submission&) = delete;
  Submission& operator=(const Submission&) = delete;

  // Runs it and waits for the commit.
  absl::Status Run() {
    return ahead_ ? desk_.writer_.Transact(take_, *ahead_) : desk_.writer_.Transact(take_);
  }
  // Queues it; `done` gets the result (GroupCommitter::Submit).
  void Submit(store::GroupCommitter::Done done) {
    desk_.writer_.Submit(take_, ahead_ ? &*ahead_ : nullptr, std::move(done));
  }

  // Once committed: wakes the relay when it appended events, counts the documents and hands
  // over their receipts.
  absl::StatusOr<std::vector<v1::DocumentReceipt>> Receipts(const absl::Status& committed) {
    if (!committed.ok()) return committed;
    if (published_ && desk_.events_committed_) desk_.events_committed_();
    CountDocuments(receipts_);
    return std::move(receipts_);
  }

 private:
  // The group commit's function: it may run more than once, so it starts afresh each time.
  absl::Status Take(store::Transaction& tx) {
    receipts_.clear();
    published_ = false;
    DeclarationRepository repo(tx, desk_.keys_);
    if (ahead_ && ahead_->rows) {
      if (auto s = repo.Seed(first_, *ahead_->rows); !s.ok()) return s;
    }
    if (auto s = CheckResidents(repo, documents_, first_); !s.ok()) return s;
    Intake intake(viewer_, repo, tx, desk_.limits_, published_);
    for (const Incoming& in : documents_) {
      auto receipt = intake.Take(in);
      if (!receipt.ok()) return receipt.status();
      receipts_.push_back(std::move(*receipt));
    }
    return absl::OkStatus();
  }

  DeclarationDesk& desk_;
  const std::vector<Incoming> documents_;
  const auth::Viewer viewer_;
  const DeclarationRepository::ReadAhead first_;
  std::optional<store::GroupCommitter::ReadAhead> ahead_;
  std::vector<v1::DocumentReceipt> receipts_;
  bool published_ = false;
  const std::function<absl::Status(store::Transaction&)> take_ = [this](store::Transaction& tx) {
    return Take(tx);
  };
};

absl::StatusOr<std::vector<v1::DocumentReceipt>> DeclarationDesk::Store(
    std::vector<Incoming> documents, const auth::Viewer& viewer) {
  Submission submission(*this, std::move(documents), viewer);
  return submission.Receipts(submission.Run());
}

void DeclarationDesk::StoreOne(Incoming document, const auth::Viewer& viewer, ReceiptDone done) {
  std::vector<Incoming> documents;
  documents.push_back(std::move(document));
  auto* submission = new Submission(*this, std::move(documents), viewer);
  submission->Submit([submission, done = std::move(done)](absl::Status committed) {
    std::unique_ptr<Submission> owned(submission);
    auto receipts = owned->Receipts(committed);
    if (!receipts.ok()) return done(receipts.status());
    done(std::move(receipts->front()));
  });
}

namespace {

// A document checked by its rules (document_rules.h) and taken in for storing, or what is wrong
// with it; one per kind of document.
absl::StatusOr<DeclarationDesk::Incoming> Checked(const v1::Order& order) {
  errors::Violations v;
  CheckOrder(order, "order", v);
  if (!v.empty()) return v.ToStatus();
  return FromOrder(order, "order");
}
absl::StatusOr<DeclarationDesk::Incoming> Checked(const v1::Payment& payment) {
  errors::Violations v;
  CheckPayment(payment, "payment", v);
  if (!v.empty()) return v.ToStatus();
  return FromPayment(payment, "payment");
}
absl::StatusOr<DeclarationDesk::Incoming> Checked(const v1::Receipt& receipt) {
  errors::Violations v;
  CheckReceipt(receipt, "receipt", v);
  if (!v.empty()) return v.ToStatus();
  return FromReceipt(receipt, "receipt");
}
absl::StatusOr<DeclarationDesk::Incoming> Checked(const v1::Waybill& waybill) {
  errors::Violations v;
  CheckWaybill(waybill, "waybill", v);
  if (!v.empty()) return v.ToStatus();
  return FromWaybill(waybill, "waybill");
}

}  // namespace

template <typename Doc>
absl::StatusOr<v1::DocumentReceipt> DeclarationDesk::SubmitOne(const Doc& doc,
                                                               const auth::Viewer& viewer) {
  auto in = Checked(doc);
  if (!in.ok()) return in.status();
  std::vector<Incoming> documents;
  documents.push_back(std::move(*in));
  auto receipts = Store(std::move(documents), viewer);
  if (!receipts.ok()) return receipts.status();
  return std::move(receipts->front());
}

template <typename Doc>
void DeclarationDesk::SubmitOne(const Doc& doc, const auth::Viewer& viewer, ReceiptDone done) {
  auto in = Checked(doc);
  if (!in.ok()) return done(in.status());
  StoreOne(std::move(*in), viewer, std::move(done));
}

absl::StatusOr<v1::DocumentReceipt> DeclarationDesk::SubmitOrder(const v1::Order& order,
                                                                 const auth::Viewer& viewer) {
  return SubmitOne(order, viewer);
}
absl::StatusOr<v1::DocumentReceipt> DeclarationDesk::SubmitPayment(const v1::Payment& payment,
                                                                   const auth::Viewer& viewer) {
  return SubmitOne(payment, viewer);
}
absl::StatusOr<v1::DocumentReceipt> DeclarationDesk::SubmitReceipt(const v1::Receipt& receipt,
                                                                   const auth::Viewer& viewer) {
  return SubmitOne(receipt, viewer);
}
absl::StatusOr<v1::DocumentReceipt> DeclarationDesk::SubmitWaybill(const v1::Waybill& waybill,
                                                                   const auth::Viewer& viewer) {
  return SubmitOne(waybill, viewer);
}

void DeclarationDesk::SubmitOrder(const v1::Order& order, const auth::Viewer& viewer,
                                  ReceiptDone done) {
  SubmitOne(order, viewer, std::move(done));
}
void DeclarationDesk::SubmitPayment(const v1::Payment& payment, const auth::Viewer& viewer,
                                    ReceiptDone done) {
  SubmitOne(payment, viewer, std::move(done));
}
void DeclarationDesk::SubmitReceipt(const v1::Receipt& receipt, const auth::Viewer& viewer,
                                    ReceiptDone done) {
  SubmitOne(receipt, viewer, std::move(done));
}
void DeclarationDesk::SubmitWaybill(const v1::Waybill& waybill, const auth::Viewer& viewer,
                                    ReceiptDone done) {
  SubmitOne(waybill, viewer, std::move(done));
}

absl::StatusOr<v1::SubmitMessageResponse> DeclarationDesk::SubmitMessage(
    const v1::CebMessage& ceb, const v1::SubmitMessageRequest& request,
    const auth::Viewer& viewer) {
  const v1::CebMessage* message = &ceb;
  errors::Violations v;
  std::vector<Incoming> documents;
  // What the CEB messages do not carry, the request says for all their documents.
  if (message->orders_size() > 0 && request.logistics_code().empty()) {
    v.Add("logistics_code", "REQUIRED", "is required when the message carries orders");
  }
  if (message->waybills_size() > 0 && request.ebp_code().empty()) {
    v.Add("ebp_code", "REQUIRED", "is required when the message carries waybills");
  }
  for (int i = 0; i < message->orders_size(); ++i) {
    v1::Order order = message->orders(i);
    order.set_business_mode(request.business_mode());
    order.set_logistics_code(request.logistics_code());
    std::string field = absl::StrCat("orders[", i, "]");
    CheckOrder(order, field, v);
    documents.push_back(FromOrder(order, field));
  }
  for (int i = 0; i < message->payments_size(); ++i) {
    std::string field = absl::StrCat("payments[", i, "]");
    CheckPayment(message->payments(i), field, v);
    documents.push_back(FromPayment(message->payments(i), field));
  }
  for (int i = 0; i < message->receipts_size(); ++i) {
    std::string field = absl::StrCat("receipts[", i, "]");
    CheckReceipt(message->receipts(i), field, v);
    documents.push_back(FromReceipt(message->receipts(i), field));
  }
  for (int i = 0; i < message->waybills_size(); ++i) {
    v1::Waybill waybill = message->waybills(i);
    waybill.set_ebp_code(request.ebp_code());
    std::string field = absl::StrCat("waybills[", i, "]");
    CheckWaybill(waybill, field, v);
    documents.push_back(FromWaybill(waybill, field));
  }
  if (documents.empty()) {
    v.Add("xml", "NO_DOCUMENTS",
          absl::StrCat(message->message_type(),
                       " carries no order, payment, receipt or waybill this service accepts"));
  }
  if (!v.empty()) return v.ToStatus();
  auto receipts = Store(std::move(documents), viewer);
  if (!receipts.ok()) return receipts.status();
  v1::SubmitMessageResponse response;
  response.set_message_type(message->message_type());
  for (auto& r : *receipts) *response.add_documents() = std::move(r);
  return response;
}

absl::StatusOr<v1::Declaration> DeclarationDesk::Get(const std::string& order_key) {
  std::optional<v1::Declaration> found;
  absl::Status status = store::ReadInto(db_, found, [&](store::Transaction& tx) {
    return DeclarationRepository(tx).FindDeclaration(order_key);
  });
  if (!status.ok()) return status;
  if (!found) return absl::NotFoundError(absl::StrCat("no declaration ", order_key));
  return *found;
}

absl::StatusOr<v1::ListDeclarationsResponse> DeclarationDesk::List(
    const v1::ListDeclarationsRequest& request) {
  errors::Violations v;
  paging::Page page = paging::ReadPage(request.page(), v);
  DeclarationFilter filter;
  filter.enterprise_code = request.enterprise_code();
  filter.status = request.status();
  filter.business_mode = request.business_mode();
  filter.direction = request.direction();
  // Periods are calendar days in the park's time zone.
  absl::TimeZone park;
  absl::LoadTimeZone("Asia/Shanghai", &park);
  auto day = [&](const common::v1::Date& d, const char* field, int add) -> int64_t {
    absl::CivilDay civil(d.year(), d.month(), d.day());
    if (civil.year() != d.year() || civil.month() != d.month() || civil.day() != d.day()) {
      v.Add(field, "DATE", "is not a calendar date");
      return 0;
    }
    return absl::ToUnixMicros(absl::FromCivil(civil + add, park));
  };
  if (request.has_from()) filter.from_micros = day(request.from(), "from", 0);
  if (request.has_to()) filter.to_micros = day(request.to(), "to", 1);
  if (!v.empty()) return v.ToStatus();
  v1::ListDeclarationsResponse response;
  absl::Status status = db_.Read([&](store::Transaction& tx) -> absl::Status {
    auto list = DeclarationRepository(tx).ListDeclarations(filter, page.AfterPart(0), page.limit());
    if (!list.ok()) return list.status();
    response.Clear();
    response.set_next_page_token(paging::NextPageToken(
        *list, page.size, [](const v1::Declaration& d) { return paging::Key{d.order_key()}; }));
    for (auto& d : *list) *response.add_declarations() = std::move(d);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return response;
}

absl::StatusOr<v1::BuyerQuota> DeclarationDesk::Quota(const auth::Viewer& viewer,
                                                      const v1::GetBuyerQuotaRequest& request) {
  errors::Violations v;
  if (request.buyer_id_number().empty()) v.Add("buyer_id_number", "REQUIRED", "is required");
  if (request.year() < 2000 || request.year() > 2100) v.Add("year", "RANGE", "must be 2000..2100");
  if (!v.empty()) return v.ToStatus();
  int64_t used = 0;
  absl::Status status = db_.Read([&](store::Transaction& tx) -> absl::Status {
    DeclarationRepository repo(tx, keys_);
    if (!viewer.park_staff) {
      auto orders = repo.OrdersOfBuyer(request.buyer_id_number());
      if (!orders.ok()) return orders.status();
      if (auto s = MayReadBuyerQuota(viewer, *orders); !s.ok()) return s;
    }
    auto u = repo.QuotaUsed(request.buyer_id_number(), request.year(), "");
    if (!u.ok()) return u.status();
    used = *u;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  v1::BuyerQuota quota;
  quota.set_year(request.year());
  quota.set_used(FormatAmount(used));
  quota.set_remaining(FormatAmount(std::max<int64_t>(0, limits_.per_year - used)));
  quota.set_annual_limit(FormatAmount(limits_.per_year));
  quota.set_per_transaction_limit(FormatAmount(limits_.per_transaction));
  return quota;
}

absl::StatusOr<v1::ListWaitingDocumentsResponse> DeclarationDesk::ListWaiting(
    const v1::ListWaitingDocumentsRequest& request) {
  errors::Violations v;
  paging::Page page = paging::ReadPage(request.page(), v, kWaitingKey);
  if (request.older_than_seconds() < 0) {
    v.Add("older_than_seconds", "NON_NEGATIVE", "must not be negative");
  }
  if (!v.empty()) return v.ToStatus();
  int64_t before =
      absl::ToUnixMicros(absl::Now() - absl::Seconds(request.older_than_seconds())) + 1;
  v1::ListWaitingDocumentsResponse response;
  absl::Status status = db_.Read([&](store::Transaction& tx) -> absl::Status {
    auto rows = DeclarationRepository(tx).Waiting(before, page.first() ? -1 : page.after_number,
                                                  page.AfterPart(1), page.limit());
    if (!rows.ok()) return rows.status();
    response.Clear();
    response.set_next_page_token(paging::NextPageToken(
        *rows, page.size,
        [](const auto& row) {
          return paging::Key{absl::StrCat(row.received_micros), row.document.document_key()};
        },
        kWaitingKey));
    for (const auto& row : *rows) *response.add_documents() = row.document;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return response;
}

absl::StatusOr<int> DeclarationDesk::ExpireWaiting(absl::Duration waiting, absl::Time now) {
  int expired = 0;
  absl::Status status = writer_.Transact([&](store::Transaction& tx) -> absl::Status {
    expired = 0;
    DeclarationRepository repo(tx);
    int64_t now_micros = absl::ToUnixMicros(now);
    auto rows = repo.Waiting(absl::ToUnixMicros(now - waiting), -1, "", kExpireBatch);
    if (!rows.ok()) return rows.status();
    for (const auto& row : *rows) {
      if (auto s = repo.Expire(row.document.kind(), row.document.document_key(), now_micros);
          !s.ok()) {
        return s;
      }
      v1::DocumentExpired event;
      event.set_kind(row.document.kind());
      event.set_order_no(row.document.order_no());
      event.set_document_key(row.document.document_key());
      event.set_guid(row.document.guid());
      event.set_waited_seconds((now_micros - row.received_micros) / 1000000);
      if (auto s = Publish(tx, row.document.document_key(), event); !s.ok()) return s;
      ++expired;
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (expired > 0 && events_committed_) events_committed_();
  CountExpired(expired);
  return expired;
}

absl::StatusOr<int> DeclarationDesk::ErasePersonalData(absl::Duration retention, absl::Time now) {
  int erased = 0;
  for (;;) {
    int batch = 0;
    absl::Status status = writer_.Transact([&](store::Transaction& tx) -> absl::Status {
      auto n = DeclarationRepository(tx, keys_).ErasePersonal(absl::ToUnixMicros(now - retention),
                                                              kExpireBatch);
      if (!n.ok()) return n.status();
      batch = *n;
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    erased += batch;
    if (batch < kExpireBatch) return erased;
  }
}

absl::StatusOr<DeclarationDesk::Rotation> DeclarationDesk::RotatePersonalData() {
  Rotation done;
  // Documents first: a reservation is keyed again from its order's ID number, read through them.
  for (bool documents : {true, false}) {
    std::string after;
    do {
      DeclarationRepository::RotationBatch batch;
      absl::Status status = writer_.Transact([&](store::Transaction& tx) -> absl::Status {
        DeclarationRepository repo(tx, keys_);
        auto b = documents ? repo.ResealDocuments(after, kExpireBatch)
                           : repo.RekeyQuota(after, kExpireBatch);
        if (!b.ok()) return b.status();
        batch = *b;
        return absl::OkStatus();
      });
      if (!status.ok()) return status;
      (documents ? done.documents : done.quota) += batch.redone;
      (documents ? done.documents_left : done.quota_left) += batch.left;
      after = batch.next_after;
    } while (!after.empty());
  }
  return done;
}

absl::Status DeclarationDesk::ApplyClearanceRejected(
    store::Transaction& tx, const clearance::v1::ClearanceRejected& rejected) {
  // A case opened over gRPC without a declaration reserved nothing here.
  if (rejected.facts().order_key().empty()) return absl::OkStatus();
  return DeclarationRepository(tx).Release(rejected.facts().order_key());
}

}  // namespace parkline::declarations
