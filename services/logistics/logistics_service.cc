#include "logistics/logistics_service.h"

#include <algorithm>
#include <optional>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "auth/handler.h"
#include "auth/resources.h"
#include "logistics/logistics_metrics.h"
#include "logistics/status_model.h"
#include "logistics/waybill_status_message.h"

namespace parkline::logistics {
namespace {

constexpr char kPrefix[] = "/parkline.logistics.v1.LogisticsService/";

using auth::Deliver;
using auth::kParkWide;
using auth::OfCarrier;

// A shipment is its carrier's, and (when the caller names the order) the order's platform's.
auth::Resource OfShipment(const v1::GetShipmentRequest& request) {
  auth::Resource r = OfCarrier(request.key().carrier_code());
  const std::string& order_key = request.order_key();
  if (!order_key.empty()) r.parties.push_back(order_key.substr(0, order_key.find('/')));
  return r;
}

}  // namespace

grpc::Status LogisticsService::RegisterShipment(grpc::ServerContext* ctx,
                                                const v1::RegisterShipmentRequest* request,
                                                v1::Shipment* response) {
  return PARKLINE_RPC_AS_VIEWER(RegisterShipment, OfCarrier(request->key().carrier_code()),
                                Deliver(desk_.Register(viewer, *request, absl::Now()), response));
}

grpc::Status LogisticsService::ReportTrackingEvents(grpc::ServerContext* ctx,
                                                    const v1::ReportTrackingEventsRequest* request,
                                                    v1::ReportTrackingEventsResponse* response) {
  return PARKLINE_RPC(ReportTrackingEvents, OfCarrier(request->carrier_code()),
                      Deliver(desk_.Report(*request, absl::Now()), response));
}

grpc::Status LogisticsService::SubmitWaybillStatus(grpc::ServerContext* ctx,
                                                   const v1::SubmitWaybillStatusRequest* request,
                                                   v1::ReportTrackingEventsResponse* response) {
  // Who calls is settled before the XML is read: an unknown caller, or one who may send no
  // message, is refused without parsing it. Then read once, here: the carrier it names decides
  // who may send it. A message that cannot be read names no carrier and touches nobody's
  // shipments, so a carrier (who may send its own) is told what is wrong with it rather than
  // refused.
  if (grpc::Status admitted = PARKLINE_ADMIT(SubmitWaybillStatus); !admitted.ok()) return admitted;
  auto batch = ReadWaybillStatusMessage(request->xml());
  auth::Resource resource;
  if (batch.ok()) {
    resource = OfCarrier(batch->carrier_code());
  } else if (auto caller = authorizer_.Identify(*ctx); caller.ok()) {
    resource = OfCarrier(caller->carrier_code);
  }
  return PARKLINE_RPC(
      SubmitWaybillStatus, resource,
      batch.ok() ? Deliver(desk_.Report(*batch, absl::Now()), response) : batch.status());
}

grpc::Status LogisticsService::GetShipment(grpc::ServerContext* ctx,
                                           const v1::GetShipmentRequest* request,
                                           v1::Shipment* response) {
  return PARKLINE_RPC(GetShipment, OfShipment(*request), Deliver(desk_.Get(*request), response));
}

grpc::Status LogisticsService::GetTimeline(grpc::ServerContext* ctx,
                                           const v1::GetShipmentRequest* request,
                                           v1::GetTimelineResponse* response) {
  return PARKLINE_RPC(GetTimeline, OfShipment(*request),
                      Deliver(desk_.Timeline(*request), response));
}

grpc::Status LogisticsService::ListShipments(grpc::ServerContext* ctx,
                                             const v1::ListShipmentsRequest* request,
                                             v1::ListShipmentsResponse* response) {
  auth::Resource resource = OfCarrier(request->carrier_code());
  if (!request->enterprise_code().empty()) resource.parties.push_back(request->enterprise_code());
  return PARKLINE_RPC(ListShipments, resource, Deliver(desk_.List(*request), response));
}

grpc::Status LogisticsService::GetCoverageReport(grpc::ServerContext* ctx,
                                                 const v1::CoverageReportRequest* request,
                                                 v1::CoverageReport* response) {
  return PARKLINE_RPC(GetCoverageReport, kParkWide, Deliver(desk_.Coverage(*request), response));
}

grpc::Status LogisticsService::WatchShipment(
    grpc::ServerContext* ctx, const v1::GetShipmentRequest* request,
    grpc::ServerWriter<v1::WatchShipmentResponse>* writer) {
  return PARKLINE_RPC(WatchShipment, OfShipment(*request), Watch(ctx, *request, writer));
}

absl::Status LogisticsService::Watch(grpc::ServerContext* ctx,
                                     const v1::GetShipmentRequest& request,
                                     grpc::ServerWriter<v1::WatchShipmentResponse>* writer) {
  // Counted per principal: an authorizer that cannot tell callers apart puts them all in one.
  auto caller = authorizer_.Identify(*ctx);
  const std::string who = caller.ok() ? caller->name : "";
  std::optional<WatchQuota::Slot> slot = watch_quota_.TryAcquire(who);
  if (!slot.has_value()) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "WatchShipment: caller '", who, "' already holds ", watch_quota_.max_per_caller(),
        " open watches (max_watch_streams_per_caller=", watch_quota_.max_per_caller(),
        "); close one before watching another"));
  }
  WatchHub& hub = desk_.hub();
  // Subscribe before the first read, so that nothing stored in between is missed.
  WatchHub::Subscription subscription(hub, ShipmentKeyText(request.key()));
  WatchOpened();
  struct Decrement {
    ~Decrement() { WatchClosed(); }
  } decrement;

  auto first = desk_.Timeline(request);
  if (!first.ok()) return first.status();
  // Entries already sent, by seq: storage order is not commit order when writers run side by
  // side, so "seq above the last sent" could skip one that committed late.
  std::set<int64_t> sent;
  for (const auto& e : first->entries()) sent.insert(e.seq());
  v1::WatchShipmentResponse message;
  *message.mutable_shipment() = first->shipment();
  *message.mutable_entries() = first->entries();
  v1::ShipmentStatus sent_status = first->shipment().status();
  if (!writer->Write(message)) return absl::CancelledError("the watcher went away");
  absl::Time next_poll = absl::Now() + watch_poll_;
  // A consumer wakes the hub before its transaction commits (EventConsumer has no hook after
  // it): a wake-up that finds nothing new is followed by quick looks, 50, 100, 200 ms later.
  absl::Duration recheck = absl::ZeroDuration();
  while (!IsTerminal(sent_status)) {
    // The synchronous server has no callback for a client's cancel: look at least this often.
    constexpr absl::Duration kCancelCheck = absl::Milliseconds(250);
    bool notified = subscription.Wait(std::min(kCancelCheck, next_poll - absl::Now()));
    if (ctx->IsCancelled()) return absl::CancelledError("the watcher cancelled");
    if (hub.stopping()) {
      return absl::UnavailableError("the server is stopping; watch again to go on");
    }
    if (!notified && absl::Now() < next_poll) continue;
    if (notified) recheck = absl::Milliseconds(50);
    auto now = desk_.Since(request, 0);
    if (!now.ok()) return now.status();
    v1::WatchShipmentResponse next;
    *next.mutable_shipment() = now->shipment();
    for (const auto& e : now->entries()) {
      if (sent.insert(e.seq()).second) *next.add_entries() = e;
    }
    bool nothing_new = next.entries().empty() && next.shipment().status() == sent_status;
    if (nothing_new && recheck > absl::ZeroDuration() && recheck <= absl::Milliseconds(200)) {
      next_poll = absl::Now() + recheck;
      recheck *= 2;
      continue;
    }
    recheck = absl::ZeroDuration();
    next_poll = absl::Now() + watch_poll_;
    if (nothing_new) continue;
    sent_status = next.shipment().status();
    if (!writer->Write(next)) return absl::CancelledError("the watcher went away");
  }
  return absl::OkStatus();
}

}  // namespace parkline::logistics
