#include "declarations/declaration_desk.h"

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "auth/credentials.h"
#include "declarations/amount.h"
#include "declarations/declaration_matcher.h"
#include "declarations/declaration_repository.h"
#include "declarations/document_outcome.h"
#include "declarations/document_rules.h"
#include "errors/violations.h"
#include "events/outbox.h"
#include "google/protobuf/util/time_util.h"
#include "parkline/declarations/v1/events.pb.h"

namespace parkline::declarations {

// One document on its way in, reduced to what storing and matching need.
struct DeclarationDesk::Incoming {
  v1::DocumentKind kind;
  std::string field;    // "order", "messages.orders[1]" ...: where violations point
  std::string doc_key;  // see schema.cc
  std::string order_no;
  std::string ebp_code;  // empty for waybills, which do not carry it
  std::string guid;
  v1::AppType app_type;
  std::string payload;  // canonical: serialized with app_type cleared, so resends compare equal
  // Enterprise codes that must belong to residents: (field path, code).
  std::vector<std::pair<std::string, std::string>> codes;
  v1::Direction direction;
  std::string business_mode;
  std::string sender;        // the enterprise code the event names
  std::string logistics_no;  // waybills: the waybill number, which logistics keys shipments by
};

namespace {

constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 500;

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
                               ""};
  in.codes = {{in.field + ".ebp_code", o.ebp_code()}, {in.field + ".ebc_code", o.ebc_code()}};
  if (o.direction() == v1::DIRECTION_IMPORT)
    in.codes.push_back({in.field + ".pay_code", o.pay_code()});
  return in;
}

DeclarationDesk::Incoming FromPayment(const v1::Payment& p, std::string field) {
  DeclarationDesk::Incoming in{v1::DOCUMENT_KIND_PAYMENT,
                               std::move(field),
                               OrderKey(p.ebp_code(), p.order_no()),
                               p.order_no(),
                               p.ebp_code(),
                               p.guid(),
                               p.app_type(),
                               Canonical(p),
                               {},
                               v1::DIRECTION_IMPORT,
                               "",
                               p.pay_code(),
                               ""};
  in.codes = {{in.field + ".pay_code", p.pay_code()}, {in.field + ".ebp_code", p.ebp_code()}};
  return in;
}

DeclarationDesk::Incoming FromReceipt(const v1::Receipt& r, std::string field) {
  DeclarationDesk::Incoming in{v1::DOCUMENT_KIND_RECEIPT,
                               std::move(field),
                               OrderKey(r.ebp_code(), r.order_no()),
                               r.order_no(),
                               r.ebp_code(),
                               r.guid(),
                               r.app_type(),
                               Canonical(r),
                               {},
                               v1::DIRECTION_EXPORT,
                               "",
                               r.ebc_code(),
                               ""};
  in.codes = {{in.field + ".ebc_code", r.ebc_code()}, {in.field + ".pay_code", r.pay_code()}};
  return in;
}

DeclarationDesk::Incoming FromWaybill(const v1::Waybill& w, std::string field) {
  DeclarationDesk::Incoming in{v1::DOCUMENT_KIND_WAYBILL,
                               std::move(field),
                               absl::StrCat(w.logistics_code(), "/", w.logistics_no()),
                               w.order_no(),
                               "",
                               w.guid(),
                               w.app_type(),
                               Canonical(w),
                               {},
                               w.direction(),
                               "",
                               w.logistics_code(),
                               w.logistics_no()};
  in.codes = {{in.field + ".logistics_code", w.logistics_code()}};
  return in;
}

absl::Status Publish(store::Transaction& tx, absl::string_view subject,
                     const google::protobuf::Message& event) {
  return events::AppendToOutbox(tx, events::NewEvent(kTopic, kSource, subject, event, absl::Now()));
}

// The documents and declaration of one order, as the transaction sees them.
class OrderFile {
 public:
  OrderFile(DeclarationRepository& repo, store::Transaction& tx, const QuotaLimits& limits)
      : repo_(repo), tx_(tx), limits_(limits) {}

  // Matches the order `ebp_code`/`order_no` again after one of its documents changed; stores the
  // declaration, reserves or releases the quota and publishes when its outcome changed. Sets
  // `published` when it appended an event.
  absl::Status Rematch(const std::string& ebp_code, const std::string& order_no, bool& published) {
    std::string key = OrderKey(ebp_code, order_no);
    auto previous = repo_.FindDeclaration(key);
    if (!previous.ok()) return previous.status();
    if (*previous && (*previous)->status() == v1::DECLARATION_STATUS_MATCHED) {
      return absl::OkStatus();  // final: changes to a matched set are refused before this
    }
    DocumentSet set;
    if (auto s = repo_.PrefetchDocuments(
            {v1::DOCUMENT_KIND_ORDER, v1::DOCUMENT_KIND_PAYMENT, v1::DOCUMENT_KIND_RECEIPT}, key);
        !s.ok()) {
      return s;
    }
    auto order = Load<v1::Order>(v1::DOCUMENT_KIND_ORDER, key);
    if (!order.ok()) return order.status();
    if (!*order) return absl::OkStatus();  // waiting for the order; nothing to declare yet
    set.order = std::move(*order);
    auto payment = Load<v1::Payment>(v1::DOCUMENT_KIND_PAYMENT, key);
    if (!payment.ok()) return payment.status();
    set.payment = std::move(*payment);
    auto receipt = Load<v1::Receipt>(v1::DOCUMENT_KIND_RECEIPT, key);
    if (!receipt.ok()) return receipt.status();
    set.receipt = std::move(*receipt);
    auto waybills = repo_.LiveDocumentsFor(v1::DOCUMENT_KIND_WAYBILL, order_no);
    if (!waybills.ok()) return waybills.status();
    if (!waybills->empty()) {
      v1::Waybill w;
      w.ParseFromString(waybills->front());
      set.waybill = std::move(w);
    }
    bool import = set.order->direction() == v1::DIRECTION_IMPORT;
    auto year = QuotaYear(set.order->app_time());
    // The buyer's quota counts only for a complete set (Match checks the limits then): an order
    // still waiting for its partners costs no statement here.
    bool counts_quota = import && year.ok() && IsComplete(set);
    std::string buyer;
    int64_t used = 0;
    if (counts_quota) {
      buyer = auth::Sha256Hex(set.order->buyer_id_number());
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
      v1::DeclarationMatched event;
      *event.mutable_declaration() = d;
      published = true;
      return Publish(tx_, key, event);
    }
    if (d.status() == v1::DECLARATION_STATUS_REJECTED) {
      v1::DeclarationRejected event;
      *event.mutable_declaration() = d;
      published = true;
      return Publish(tx_, key, event);
    }
    return absl::OkStatus();
  }

  // Ends the declaration of the order `order_key` (when it has one) after the order was
  // withdrawn, and gives the buyer's quota back. Sets `published` when it appended an event.
  absl::Status Withdraw(const std::string& order_key, bool& published) {
    auto d = repo_.FindDeclaration(order_key);
    if (!d.ok()) return d.status();
    if (!*d) return absl::OkStatus();
    v1::Declaration withdrawn = **d;
    withdrawn.set_status(v1::DECLARATION_STATUS_WITHDRAWN);
    int64_t now = absl::ToUnixMicros(absl::Now());
    *withdrawn.mutable_update_time() =
        google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(now);
    if (auto s = repo_.SaveDeclaration(withdrawn, now); !s.ok()) return s;
    if (auto s = repo_.Release(order_key); !s.ok()) return s;
    v1::DeclarationWithdrawn event;
    *event.mutable_declaration() = withdrawn;
    published = true;
    return Publish(tx_, order_key, event);
  }

 private:
  template <typename Doc>
  absl::StatusOr<std::optional<Doc>> Load(v1::DocumentKind kind, const std::string& key) {
    auto stored = repo_.FindDocument(kind, key);
    if (!stored.ok()) return stored.status();
    if (!*stored || (*stored)->withdrawn) return std::optional<Doc>();
    Doc doc;
    if (!doc.ParseFromString((*stored)->payload)) {
      return absl::DataLossError(absl::StrCat("stored document ", key, " is unreadable"));
    }
    return std::optional<Doc>(std::move(doc));
  }

  DeclarationRepository& repo_;
  store::Transaction& tx_;
  const QuotaLimits& limits_;
};

// Orders by (ebp_code, order_no).
using Orders = std::vector<std::pair<std::string, std::string>>;

// The orders a document belongs to: its own for an order, payment or receipt; for a waybill,
// every live order carrying its order number.
absl::StatusOr<Orders> OrdersOf(DeclarationRepository& repo, const DeclarationDesk::Incoming& in) {
  if (in.kind != v1::DOCUMENT_KIND_WAYBILL) return Orders{{in.ebp_code, in.order_no}};
  auto orders = repo.LiveDocumentsFor(v1::DOCUMENT_KIND_ORDER, in.order_no);
  if (!orders.ok()) return orders.status();
  Orders out;
  for (const std::string& payload : *orders) {
    v1::Order o;
    if (o.ParseFromString(payload)) out.push_back({o.ebp_code(), o.order_no()});
  }
  return out;
}

// What storing and matching `in` will read, to be read at once: the document itself and, for
// an order, payment or receipt (which share their key), the other two, the declaration and the
// order's live waybills; for a waybill, the live orders carrying its order number.
DeclarationRepository::ReadAhead ReadsOf(const DeclarationDesk::Incoming& in) {
  DeclarationRepository::ReadAhead reads;
  reads.doc_key = in.doc_key;
  reads.order_no = in.order_no;
  if (in.kind == v1::DOCUMENT_KIND_WAYBILL) {
    reads.kinds = {v1::DOCUMENT_KIND_WAYBILL};
    reads.live_kind = v1::DOCUMENT_KIND_ORDER;
  } else {
    reads.kinds = {v1::DOCUMENT_KIND_ORDER, v1::DOCUMENT_KIND_PAYMENT, v1::DOCUMENT_KIND_RECEIPT};
    reads.order_key = in.doc_key;
    reads.live_kind = v1::DOCUMENT_KIND_WAYBILL;
  }
  return reads;
}

// Refuses the documents when one names an enterprise that is not resident in the park
// (NOT_RESIDENT, every such code at once). One round trip reads the codes' residence and, for a
// lone document (the common case), all that taking it will read (ReadsOf).
absl::Status CheckResidents(DeclarationRepository& repo,
                            const std::vector<DeclarationDesk::Incoming>& documents) {
  // CEB403/303 allow "无" for a platform abroad.
  auto checked = [](const std::string& code) { return !code.empty() && code != "无"; };
  std::set<std::string> codes;
  for (const DeclarationDesk::Incoming& in : documents) {
    for (const auto& [field, code] : in.codes) {
      if (checked(code)) codes.insert(code);
    }
  }
  DeclarationRepository::ReadAhead ahead;
  if (documents.size() == 1) ahead = ReadsOf(documents.front());
  ahead.resident_codes = codes;
  if (auto s = repo.Prefetch(ahead); !s.ok()) return s;
  auto resident = repo.ResidentAmong(codes);
  if (!resident.ok()) return resident.status();
  errors::Violations residents;
  for (const DeclarationDesk::Incoming& in : documents) {
    for (const auto& [field, code] : in.codes) {
      if (checked(code) && resident->count(code) == 0) {
        residents.Add(field, "NOT_RESIDENT",
                      absl::StrCat("enterprise ", code, " is not resident in the park"));
      }
    }
  }
  return residents.empty() ? absl::OkStatus() : residents.ToStatus();
}

// One attempt of Store's transaction, taking documents one after the other: each reads what is
// stored, asks the rule for its outcome (document_outcome.h), writes what the outcome says and
// answers with its receipt. Sets `published` when it appended an event.
class Intake {
 public:
  Intake(DeclarationRepository& repo, store::Transaction& tx, const QuotaLimits& limits,
         bool& published)
      : repo_(repo), tx_(tx), file_(repo, tx, limits), published_(published) {}

  absl::StatusOr<v1::DocumentReceipt> Take(const DeclarationDesk::Incoming& in) {
    if (auto s = repo_.Prefetch(ReadsOf(in)); !s.ok()) return s;
    auto existing = repo_.FindDocument(in.kind, in.doc_key);
    if (!existing.ok()) return existing.status();
    auto orders = OrdersOf(repo_, in);
    if (!orders.ok()) return orders.status();
    auto matched = AnyMatched(*orders);
    if (!matched.ok()) return matched.status();
    auto outcome = DocumentOutcomeOf({in.kind, in.doc_key, in.field, in.app_type, in.payload},
                                     *existing, *matched);
    if (!outcome.ok()) return outcome.status();
    if (*outcome != v1::DOCUMENT_OUTCOME_DUPLICATE) {
      bool withdraw = *outcome == v1::DOCUMENT_OUTCOME_WITHDRAWN;
      if (auto s = Write(in, withdraw ? (*existing)->payload : in.payload, *orders, withdraw);
          !s.ok()) {
        return s;
      }
    }
    return ReceiptFor(in, *outcome);
  }

 private:
  // Whether a declaration of `orders` is already matched (then it is final).
  absl::StatusOr<bool> AnyMatched(const Orders& orders) {
    bool matched = false;
    for (const auto& [ebp, order_no] : orders) {
      auto d = repo_.FindDeclaration(OrderKey(ebp, order_no));
      if (!d.ok()) return d.status();
      if (*d && (*d)->status() == v1::DECLARATION_STATUS_MATCHED) matched = true;
    }
    return matched;
  }

  // Stores `payload` for `in` (the stored one, marked withdrawn, for a withdrawal), tells of a
  // document received, and brings the declarations of its orders (`orders`, as read before) up
  // to date.
  absl::Status Write(const DeclarationDesk::Incoming& in, const std::string& payload,
                     const Orders& orders, bool withdraw) {
    if (auto s = repo_.SaveDocument(in.kind, in.doc_key, in.order_no, in.guid, payload, withdraw);
        !s.ok()) {
      return s;
    }
    if (!withdraw) {
      v1::DocumentReceived received;
      received.set_kind(in.kind);
      received.set_order_key(orders.empty() ? absl::StrCat("/", in.order_no)
                                            : OrderKey(orders.front().first, in.order_no));
      received.set_direction(in.direction);
      received.set_business_mode(in.business_mode);
      received.set_enterprise_code(in.sender);
      received.set_guid(in.guid);
      received.set_logistics_no(in.logistics_no);
      published_ = true;
      if (auto s = Publish(tx_, received.order_key(), received); !s.ok()) return s;
    }
    // Withdrawing an order ends its declaration and gives the buyer's quota back.
    if (withdraw && in.kind == v1::DOCUMENT_KIND_ORDER)
      return file_.Withdraw(in.doc_key, published_);
    // The order set may have become complete (or changed): match it again.
    auto now_orders = OrdersOf(repo_, in);
    if (!now_orders.ok()) return now_orders.status();
    for (const auto& [ebp, order_no] : *now_orders) {
      if (auto s = file_.Rematch(ebp, order_no, published_); !s.ok()) return s;
    }
    return absl::OkStatus();
  }

  // The receipt of `in`: its outcome, and the declaration it belongs to now.
  absl::StatusOr<v1::DocumentReceipt> ReceiptFor(const DeclarationDesk::Incoming& in,
                                                 v1::DocumentOutcome outcome) {
    v1::DocumentReceipt receipt;
    receipt.set_kind(in.kind);
    receipt.set_guid(in.guid);
    receipt.set_outcome(outcome);
    auto orders = OrdersOf(repo_, in);
    if (!orders.ok()) return orders.status();
    std::string key =
        orders->empty()
            ? (in.kind == v1::DOCUMENT_KIND_WAYBILL ? absl::StrCat("/", in.order_no) : in.doc_key)
            : OrderKey(orders->front().first, in.order_no);
    receipt.set_order_key(key);
    auto d = repo_.FindDeclaration(key);
    if (!d.ok()) return d.status();
    receipt.set_declaration_status(*d ? (*d)->status() : v1::DECLARATION_STATUS_WAITING);
    return receipt;
  }

  DeclarationRepository& repo_;
  store::Transaction& tx_;
  OrderFile file_;
  bool& published_;
};

}  // namespace

DeclarationDesk::DeclarationDesk(store::Database& db, store::GroupCommitter& writer,
                                 std::function<void()> events_committed, QuotaLimits limits)
    : db_(db), writer_(writer), events_committed_(std::move(events_committed)), limits_(limits) {}

absl::StatusOr<std::vector<v1::DocumentReceipt>> DeclarationDesk::Store(
    const std::vector<Incoming>& documents) {
  std::vector<v1::DocumentReceipt> receipts;
  bool published = false;
  absl::Status status = writer_.Transact([&](store::Transaction& tx) -> absl::Status {
    receipts.clear();
    published = false;
    DeclarationRepository repo(tx);
    if (auto s = CheckResidents(repo, documents); !s.ok()) return s;
    Intake intake(repo, tx, limits_, published);
    for (const Incoming& in : documents) {
      auto receipt = intake.Take(in);
      if (!receipt.ok()) return receipt.status();
      receipts.push_back(std::move(*receipt));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (published && events_committed_) events_committed_();
  return receipts;
}

absl::StatusOr<v1::DocumentReceipt> DeclarationDesk::SubmitOrder(const v1::Order& order) {
  errors::Violations v;
  CheckOrder(order, "order", v);
  if (!v.empty()) return v.ToStatus();
  auto r = Store({FromOrder(order, "order")});
  if (!r.ok()) return r.status();
  return r->front();
}

absl::StatusOr<v1::DocumentReceipt> DeclarationDesk::SubmitPayment(const v1::Payment& payment) {
  errors::Violations v;
  CheckPayment(payment, "payment", v);
  if (!v.empty()) return v.ToStatus();
  auto r = Store({FromPayment(payment, "payment")});
  if (!r.ok()) return r.status();
  return r->front();
}

absl::StatusOr<v1::DocumentReceipt> DeclarationDesk::SubmitReceipt(const v1::Receipt& receipt) {
  errors::Violations v;
  CheckReceipt(receipt, "receipt", v);
  if (!v.empty()) return v.ToStatus();
  auto r = Store({FromReceipt(receipt, "receipt")});
  if (!r.ok()) return r.status();
  return r->front();
}

absl::StatusOr<v1::DocumentReceipt> DeclarationDesk::SubmitWaybill(const v1::Waybill& waybill) {
  errors::Violations v;
  CheckWaybill(waybill, "waybill", v);
  if (!v.empty()) return v.ToStatus();
  auto r = Store({FromWaybill(waybill, "waybill")});
  if (!r.ok()) return r.status();
  return r->front();
}

absl::StatusOr<v1::SubmitMessageResponse> DeclarationDesk::SubmitMessage(
    const v1::CebMessage& ceb, const std::string& business_mode) {
  const v1::CebMessage* message = &ceb;
  errors::Violations v;
  std::vector<Incoming> documents;
  for (int i = 0; i < message->orders_size(); ++i) {
    v1::Order order = message->orders(i);
    order.set_business_mode(business_mode);
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
    std::string field = absl::StrCat("waybills[", i, "]");
    CheckWaybill(message->waybills(i), field, v);
    documents.push_back(FromWaybill(message->waybills(i), field));
  }
  if (documents.empty()) {
    v.Add("xml", "NO_DOCUMENTS",
          absl::StrCat(message->message_type(),
                       " carries no order, payment, receipt or waybill this service accepts"));
  }
  if (!v.empty()) return v.ToStatus();
  auto receipts = Store(documents);
  if (!receipts.ok()) return receipts.status();
  v1::SubmitMessageResponse response;
  response.set_message_type(message->message_type());
  for (auto& r : *receipts) *response.add_documents() = std::move(r);
  return response;
}

absl::StatusOr<v1::Declaration> DeclarationDesk::Get(const std::string& order_key) {
  std::optional<v1::Declaration> found;
  absl::Status status = db_.Read([&](store::Transaction& tx) -> absl::Status {
    auto d = DeclarationRepository(tx).FindDeclaration(order_key);
    if (!d.ok()) return d.status();
    found = std::move(*d);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found) return absl::NotFoundError(absl::StrCat("no declaration ", order_key));
  return *found;
}

absl::StatusOr<v1::ListDeclarationsResponse> DeclarationDesk::List(
    const v1::ListDeclarationsRequest& request) {
  errors::Violations v;
  int size = request.page().page_size() == 0 ? kDefaultPageSize : request.page().page_size();
  if (size < 0 || size > kMaxPageSize) v.Add("page.page_size", "RANGE", "must be 0..500");
  std::string after;
  if (!request.page().page_token().empty() &&
      !absl::WebSafeBase64Unescape(request.page().page_token(), &after)) {
    v.Add("page.page_token", "PAGE_TOKEN", "is not a token this service returned");
  }
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
    auto list = DeclarationRepository(tx).ListDeclarations(filter, after, size + 1);
    if (!list.ok()) return list.status();
    response.Clear();
    bool more = static_cast<int>(list->size()) > size;
    if (more) list->resize(size);
    for (auto& d : *list) *response.add_declarations() = std::move(d);
    if (more) {
      response.set_next_page_token(
          absl::WebSafeBase64Escape(response.declarations(size - 1).order_key()));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return response;
}

absl::StatusOr<v1::BuyerQuota> DeclarationDesk::Quota(const v1::GetBuyerQuotaRequest& request) {
  errors::Violations v;
  if (request.buyer_id_number().empty()) v.Add("buyer_id_number", "REQUIRED", "is required");
  if (request.year() < 2000 || request.year() > 2100) v.Add("year", "RANGE", "must be 2000..2100");
  if (!v.empty()) return v.ToStatus();
  int64_t used = 0;
  absl::Status status = db_.Read([&](store::Transaction& tx) -> absl::Status {
    auto u = DeclarationRepository(tx).QuotaUsed(auth::Sha256Hex(request.buyer_id_number()),
                                                 request.year(), "");
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
  int size = request.page().page_size() == 0 ? kDefaultPageSize : request.page().page_size();
  if (size < 0 || size > kMaxPageSize) v.Add("page.page_size", "RANGE", "must be 0..500");
  if (request.older_than_seconds() < 0) {
    v.Add("older_than_seconds", "NON_NEGATIVE", "must not be negative");
  }
  // The token is "<received_at micros>/<doc_key>" of the last document of the previous page.
  int64_t after_micros = -1;
  std::string after_key;
  if (!request.page().page_token().empty()) {
    std::string token;
    size_t slash = std::string::npos;
    if (absl::WebSafeBase64Unescape(request.page().page_token(), &token)) slash = token.find('/');
    if (slash == std::string::npos || !absl::SimpleAtoi(token.substr(0, slash), &after_micros)) {
      v.Add("page.page_token", "PAGE_TOKEN", "is not a token this service returned");
    } else {
      after_key = token.substr(slash + 1);
    }
  }
  if (!v.empty()) return v.ToStatus();
  int64_t before =
      absl::ToUnixMicros(absl::Now() - absl::Seconds(request.older_than_seconds())) + 1;
  v1::ListWaitingDocumentsResponse response;
  absl::Status status = db_.Read([&](store::Transaction& tx) -> absl::Status {
    auto rows = DeclarationRepository(tx).Waiting(before, after_micros, after_key, size + 1);
    if (!rows.ok()) return rows.status();
    response.Clear();
    bool more = static_cast<int>(rows->size()) > size;
    if (more) rows->resize(size);
    for (const auto& row : *rows) *response.add_documents() = row.document;
    if (more) {
      response.set_next_page_token(absl::WebSafeBase64Escape(
          absl::StrCat(rows->back().received_micros, "/", rows->back().document.document_key())));
    }
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
    auto rows = repo.Waiting(absl::ToUnixMicros(now - waiting), -1, "", kMaxPageSize);
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
  return expired;
}

absl::Status DeclarationDesk::ApplyClearanceRejected(
    store::Transaction& tx, const clearance::v1::ClearanceRejected& rejected) {
  // A case opened over gRPC without a declaration reserved nothing here.
  if (rejected.facts().order_key().empty()) return absl::OkStatus();
  return DeclarationRepository(tx).Release(rejected.facts().order_key());
}

}  // namespace parkline::declarations
