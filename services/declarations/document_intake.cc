#include "declarations/document_intake.h"

#include <optional>
#include <set>

#include "absl/strings/str_cat.h"
#include "declarations/declaration_matcher.h"
#include "declarations/document_outcome.h"
#include "declarations/filing_rules.h"
#include "errors/violations.h"
#include "parkline/declarations/v1/events.pb.h"
#include "runtime/job_errors.h"

namespace parkline::declarations {
namespace {

// What storing and matching `in` will read, to be read at once: the document itself under its
// key, the declaration of its order and the live waybills carrying its order number (the order's
// own document, and its payment or receipt under their senders' keys, are read when needed).
DeclarationRepository::ReadAhead ReadsOf(const DeclarationDesk::Incoming& in) {
  DeclarationRepository::ReadAhead reads;
  reads.doc_key = in.doc_key;
  reads.kinds = {in.kind};
  reads.order_key = in.order_key;
  reads.order_no = in.order_no;
  reads.live_kind = v1::DOCUMENT_KIND_WAYBILL;
  if (in.partner_kind != v1::DOCUMENT_KIND_UNSPECIFIED) {
    reads.also.push_back({in.partner_kind, in.partner_key});
  }
  return reads;
}

// Whether `code` must belong to a resident: CEB403/303 allow "无" for a platform abroad.
bool Checked(const std::string& code) { return !code.empty() && code != "无"; }

// `payload` as a `Doc`, with the app_type the canonical payload leaves out.
template <typename Doc>
absl::StatusOr<Doc> Parse(const std::string& payload, v1::AppType app_type) {
  Doc doc;
  if (!doc.ParseFromString(payload))
    return runtime::UnreadableRow("documents", "a document is unreadable");
  doc.set_app_type(app_type);
  return doc;
}

}  // namespace

DeclarationRepository::ReadAhead FirstReads(
    const std::vector<DeclarationDesk::Incoming>& documents) {
  DeclarationRepository::ReadAhead ahead;
  if (documents.size() == 1) ahead = ReadsOf(documents.front());
  for (const DeclarationDesk::Incoming& in : documents) {
    for (const auto& [field, code] : in.codes) {
      if (Checked(code)) ahead.resident_codes.insert(code);
    }
  }
  return ahead;
}

std::optional<store::GroupCommitter::ReadAhead> ReadAheadFor(
    const std::vector<DeclarationDesk::Incoming>& documents,
    const DeclarationRepository::ReadAhead& first) {
  if (documents.size() != 1 || documents.front().kind == v1::DOCUMENT_KIND_WAYBILL) {
    return std::nullopt;
  }
  const DeclarationDesk::Incoming& in = documents.front();
  store::GroupCommitter::ReadAhead ahead;
  ahead.statements = DeclarationRepository::ReadsAheadOf(first);
  ahead.keys = {absl::StrCat("order:", in.order_key), absl::StrCat("order_no:", in.order_no),
                absl::StrCat("document:", in.kind, ":", in.doc_key)};
  if (in.partner_kind != v1::DOCUMENT_KIND_UNSPECIFIED) {
    ahead.keys.push_back(absl::StrCat("document:", in.partner_kind, ":", in.partner_key));
  }
  return ahead;
}

absl::Status CheckResidents(DeclarationRepository& repo,
                            const std::vector<DeclarationDesk::Incoming>& documents,
                            const DeclarationRepository::ReadAhead& first) {
  if (auto s = repo.Prefetch(first); !s.ok()) return s;
  const std::set<std::string>& codes = first.resident_codes;
  auto resident = repo.ResidentAmong(codes);
  if (!resident.ok()) return resident.status();
  errors::Violations residents;
  for (const DeclarationDesk::Incoming& in : documents) {
    for (const auto& [field, code] : in.codes) {
      if (Checked(code) && resident->count(code) == 0) {
        residents.Add(field, "NOT_RESIDENT",
                      absl::StrCat("enterprise ", code, " is not resident in the park"));
      }
    }
  }
  return residents.empty() ? absl::OkStatus() : residents.ToStatus();
}

absl::StatusOr<v1::DocumentReceipt> Intake::Take(const DeclarationDesk::Incoming& in) {
  if (auto s = repo_.Prefetch(ReadsOf(in)); !s.ok()) return s;
  auto existing = repo_.FindDocument(in.kind, in.doc_key);
  if (!existing.ok()) return existing.status();
  // Before anything of it is written: who files decides nothing by what it claims (#18).
  if (auto s = MayFile(in, *existing); !s.ok()) return s;
  auto filed_for = FiledFor(in, *existing);
  if (!filed_for.ok()) return filed_for.status();
  auto matched = Matched(in.order_key);
  if (!matched.ok()) return matched.status();
  if (*filed_for && !*matched) {
    matched = Matched((*filed_for)->order_key);
    if (!matched.ok()) return matched.status();
  }
  auto outcome = DocumentOutcomeOf({in.kind, in.doc_key, in.field, in.app_type, in.payload},
                                   *existing, *matched);
  if (!outcome.ok()) return outcome.status();
  if (*filed_for && *outcome == v1::DOCUMENT_OUTCOME_WITHDRAWN) {
    return absl::FailedPreconditionError(
        absl::StrCat(v1::DocumentKind_Name(in.kind), " ", in.doc_key, " was filed for order ",
                     (*filed_for)->order_key, "; a withdrawal names the order it was filed for"));
  }
  if (*outcome != v1::DOCUMENT_OUTCOME_DUPLICATE) {
    bool withdraw = *outcome == v1::DOCUMENT_OUTCOME_WITHDRAWN;
    if (auto s = Write(in, withdraw ? (*existing)->payload : in.payload, withdraw); !s.ok()) {
      return s;
    }
    // Moved to another order: the one it leaves is judged again without it, as after a withdrawal.
    if (*filed_for) {
      if (auto s = file_.Rematch((*filed_for)->ebp_code, (*filed_for)->order_no, published_);
          !s.ok()) {
        return s;
      }
    }
  }
  return ReceiptFor(in, *outcome);
}

absl::StatusOr<std::optional<Intake::Order>> Intake::FiledFor(
    const DeclarationDesk::Incoming& in, const std::optional<StoredDocument>& existing) {
  // Only a waybill is keyed apart from its order (by its carrier's code and number), so only a
  // stored waybill can belong to another order than the one a request names.
  if (in.kind != v1::DOCUMENT_KIND_WAYBILL || !existing) return std::nullopt;
  auto stored = Parse<v1::Waybill>(existing->payload, v1::APP_TYPE_UNSPECIFIED);
  if (!stored.ok()) return stored.status();
  std::string key = OrderKey(stored->ebp_code(), stored->order_no());
  if (key == in.order_key) return std::nullopt;
  return Order{std::move(key), stored->ebp_code(), stored->order_no()};
}

absl::Status Intake::MayFile(const DeclarationDesk::Incoming& in,
                             const std::optional<StoredDocument>& existing) {
  // What is stored counts withdrawn or not: a withdrawn order's key stays its parties'.
  std::optional<v1::Order> order;
  auto stored_order = in.kind == v1::DOCUMENT_KIND_ORDER
                          ? absl::StatusOr<std::optional<StoredDocument>>(existing)
                          : repo_.FindDocument(v1::DOCUMENT_KIND_ORDER, in.order_key);
  if (!stored_order.ok()) return stored_order.status();
  if (*stored_order) {
    auto o = Parse<v1::Order>((*stored_order)->payload, v1::APP_TYPE_UNSPECIFIED);
    if (!o.ok()) return o.status();
    order = std::move(*o);
  }
  const v1::Order* order_ptr = order ? &*order : nullptr;
  auto check = [&](auto arriving_type, auto rule) -> absl::Status {
    using Doc = decltype(arriving_type);
    auto arriving = Parse<Doc>(in.payload, in.app_type);
    if (!arriving.ok()) return arriving.status();
    std::optional<Doc> stored;
    if (existing) {
      auto s = Parse<Doc>(existing->payload, v1::APP_TYPE_UNSPECIFIED);
      if (!s.ok()) return s.status();
      stored = std::move(*s);
    }
    return rule(*arriving, stored ? &*stored : nullptr);
  };
  switch (in.kind) {
    case v1::DOCUMENT_KIND_ORDER:
      return check(v1::Order(), [&](const v1::Order& o, const v1::Order* stored) {
        return MayFileOrder(viewer_, o, stored, existing && existing->withdrawn, in.field);
      });
    case v1::DOCUMENT_KIND_PAYMENT:
      return check(v1::Payment(), [&](const v1::Payment& p, const v1::Payment* stored) {
        return MayFilePayment(viewer_, p, stored, order_ptr, in.field);
      });
    case v1::DOCUMENT_KIND_RECEIPT:
      return check(v1::Receipt(), [&](const v1::Receipt& r, const v1::Receipt* stored) {
        return MayFileReceipt(viewer_, r, stored, order_ptr, in.field);
      });
    case v1::DOCUMENT_KIND_WAYBILL:
      return check(v1::Waybill(), [&](const v1::Waybill& w, const v1::Waybill* stored) {
        return MayFileWaybill(viewer_, w, stored, order_ptr, in.field);
      });
    default:
      return absl::InternalError("a document of no known kind");
  }
}

absl::StatusOr<bool> Intake::Matched(const std::string& order_key) {
  auto d = repo_.FindDeclaration(order_key);
  if (!d.ok()) return d.status();
  return *d && (*d)->status() == v1::DECLARATION_STATUS_MATCHED;
}

absl::Status Intake::Write(const DeclarationDesk::Incoming& in, const std::string& payload,
                           bool withdraw) {
  if (auto s = repo_.SaveDocument(in.kind, in.doc_key, in.order_key, in.order_no, in.guid, payload,
                                  withdraw);
      !s.ok()) {
    return s;
  }
  if (!withdraw) {
    v1::DocumentReceived received;
    received.set_kind(in.kind);
    received.set_order_key(in.order_key);
    received.set_direction(in.direction);
    received.set_business_mode(in.business_mode);
    received.set_enterprise_code(in.sender);
    received.set_guid(in.guid);
    received.set_logistics_no(in.logistics_no);
    published_ = true;
    if (auto s = Publish(tx_, received.order_key(), received); !s.ok()) return s;
  }
  // Withdrawing an order ends its declaration and gives the buyer's quota back.
  if (withdraw && in.kind == v1::DOCUMENT_KIND_ORDER) return file_.Withdraw(in.doc_key, published_);
  // The order set may have become complete (or changed): match it again.
  return file_.Rematch(in.ebp_code, in.order_no, published_);
}

absl::StatusOr<v1::DocumentReceipt> Intake::ReceiptFor(const DeclarationDesk::Incoming& in,
                                                       v1::DocumentOutcome outcome) {
  v1::DocumentReceipt receipt;
  receipt.set_kind(in.kind);
  receipt.set_guid(in.guid);
  receipt.set_outcome(outcome);
  receipt.set_order_key(in.order_key);
  auto d = repo_.FindDeclaration(in.order_key);
  if (!d.ok()) return d.status();
  receipt.set_declaration_status(*d ? (*d)->status() : v1::DECLARATION_STATUS_WAITING);
  return receipt;
}

}  // namespace parkline::declarations
