#include "tests/chaos/load.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace parkline::chaos {
namespace {

namespace dv1 = declarations::v1;

// Sends one document until an answer that is not the service's absence; INVALID_ARGUMENT too is
// retried while the declarations service has not yet learnt from the registry's events that
// the parties reside (right after the start, or while the broker is away).
template <typename Request, typename Method>
bool SendUntilAnswered(Park& park, Method method, const Request& request, absl::Time give_up) {
  while (absl::Now() < give_up) {
    dv1::DocumentReceipt receipt;
    absl::Status status = park.declarations()->Call(method, request, &receipt);
    if (status.ok()) return true;
    if (absl::IsAlreadyExists(status) || absl::IsFailedPrecondition(status)) return false;
    absl::SleepFor(absl::Milliseconds(200));
  }
  return false;
}

}  // namespace

ImportLoad::ImportLoad(Park& park, samples::ImportCodes codes, int first, double per_second,
                       absl::Duration duration)
    : park_(park),
      codes_(std::move(codes)),
      first_(first),
      per_second_(per_second),
      duration_(duration) {
  thread_ = std::thread([this] { Run(); });
}

ImportLoad::~ImportLoad() { Join(); }

void ImportLoad::Join() {
  if (thread_.joinable()) thread_.join();
}

std::set<std::string> ImportLoad::accepted() {
  std::lock_guard<std::mutex> lock(mu_);
  return accepted_;
}

void ImportLoad::Run() {
  const absl::Time start = absl::Now();
  const absl::Time end = start + duration_;
  // A set that cannot be answered within two minutes of the load's end is counted as failed: the
  // suite reports it, it is not silently dropped.
  const absl::Time give_up = end + absl::Minutes(2);
  const absl::Duration interval = absl::Seconds(1) / per_second_;
  for (int i = 0;; ++i) {
    absl::Time due = start + interval * i;
    if (due >= end) break;
    if (absl::Now() < due) absl::SleepFor(due - absl::Now());
    if (!Send(first_ + i, give_up)) failed_++;
  }
}

bool ImportLoad::Send(int n, absl::Time give_up) {
  samples::ImportSet set = samples::MakeImportSet(n, codes_);
  dv1::SubmitOrderRequest order;
  *order.mutable_order() = set.order;
  dv1::SubmitPaymentRequest payment;
  *payment.mutable_payment() = set.payment;
  dv1::SubmitWaybillRequest waybill;
  *waybill.mutable_waybill() = set.waybill;
  if (!SendUntilAnswered(park_, &dv1::DeclarationService::Stub::SubmitOrder, order, give_up) ||
      !SendUntilAnswered(park_, &dv1::DeclarationService::Stub::SubmitPayment, payment, give_up) ||
      !SendUntilAnswered(park_, &dv1::DeclarationService::Stub::SubmitWaybill, waybill, give_up)) {
    return false;
  }
  std::lock_guard<std::mutex> lock(mu_);
  accepted_.insert(absl::StrCat(codes_.platform, "/", set.order.order_no()));
  return true;
}

}  // namespace parkline::chaos
