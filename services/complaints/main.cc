// parkline-complaints: complaints with a responsible department, committed deadlines in working
// days, supervision and a tamper-evident record; service-quality feedback (GB/T 39678-2020 7.1.3,
// 7.2, 7.3).
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "calendar/calendar_data.h"
#include "complaints/access_policy.h"
#include "complaints/complaint_desk.h"
#include "complaints/complaint_service.h"
#include "complaints/config.h"
#include "complaints/schema.h"
#include "host/group_commit_metrics.h"
#include "host/service_host.h"
#include "residents/residents.h"
#include "runtime/log.h"
#include "runtime/ticker.h"

int main(int argc, char** argv) {
  using namespace parkline;
  host::ServiceDefinition definition;
  definition.defaults = {"complaints", 50055, 9455};
  definition.usage =
      "parkline-complaints: complaints handled within committed working-day deadlines, "
      "supervised, with a tamper-evident record.\n"
      "Every flag has a PARKLINE_<FLAG> environment fallback.";
  definition.policy = complaints::AccessPolicy;
  definition.migrate = complaints::ApplySchema;
  definition.build = [](host::HostContext& ctx) -> absl::StatusOr<host::ServiceParts> {
    auto config = complaints::LoadConfig();
    if (!config.ok()) return config.status();
    auto calendar = config->calendar_file.empty()
                        ? calendar::WorkingCalendar::FromJson(parkline::calendar::kBuiltInCalendar)
                        : calendar::WorkingCalendar::Load(config->calendar_file);
    if (!calendar.ok()) return calendar.status();
    absl::TimeZone park;
    if (!absl::LoadTimeZone("Asia/Shanghai", &park)) {
      return absl::FailedPreconditionError("the time zone Asia/Shanghai is not installed");
    }
    // The committed deadlines are only as good as the calendar: say so when it runs short.
    int year = absl::ToCivilYear(absl::Now(), park).year();
    for (int y : {year, year + 1}) {
      if (!calendar->Covers(y)) {
        log::Warn("the working-day calendar lacks a year; only weekends are rest days",
                  {{"year", absl::StrCat(y)}});
      } else if (!calendar->IsOfficial(y)) {
        log::Warn("the working-day calendar's year is provisional, not the official arrangement",
                  {{"year", absl::StrCat(y)}});
      }
    }
    auto deadlines = std::make_shared<complaints::ComplaintDeadline>(*calendar, park);
    if (auto s = deadlines->Configure(config->deadlines); !s.ok()) return s;
    auto routing = std::make_shared<complaints::RoutingRules>();
    if (auto s =
            routing->Configure(config->routes, config->supervising_department, config->departments);
        !s.ok()) {
      return s;
    }
    host::ServiceParts parts;
    events::OutboxRelay* relay = &ctx.relay;
    auto writer = host::NewGroupCommitter(ctx.db);
    auto desk = std::make_shared<complaints::ComplaintDesk>(
        ctx.db, *writer, [relay] { relay->Notify(); }, *deadlines, *routing,
        [] { return absl::Now(); });
    parts.grpc_services.push_back(
        std::make_unique<complaints::ComplaintService>(*desk, ctx.authorizer));
    // Which enterprises are resident: a local projection of the registry's events.
    residents::Follow(host::AddConsumer(ctx, parts, "residents"));
    auto job = std::make_shared<complaints::SupervisionJob>(*desk, [] { return absl::Now(); });
    absl::Duration every = absl::Seconds(config->supervision_seconds);
    auto supervision = std::make_shared<runtime::Ticker>(every, [job] {
      auto marked = job->RunOnce();
      if (!marked.ok()) {
        log::Error("supervision failed", {{"error", std::string(marked.status().message())}});
      }
    });
    // A broken chain should not wait for someone to ask: the gauge it sets is what alerts read.
    std::shared_ptr<runtime::Ticker> verification;
    if (int verify_hours = config->verify_record_hours; verify_hours > 0) {
      verification = std::make_shared<runtime::Ticker>(absl::Hours(verify_hours), [desk] {
        auto report = desk->Verify(complaints::v1::VerifyRecordRequest());
        if (!report.ok()) {
          log::Error("record verification failed",
                     {{"error", std::string(report.status().message())}});
        }
      });
    }
    // Destroyed in reverse order: the tickers first, the rules the desk reads last.
    parts.keep_alive.push_back(deadlines);
    parts.keep_alive.push_back(routing);
    parts.keep_alive.push_back(writer);
    parts.keep_alive.push_back(desk);
    parts.keep_alive.push_back(job);
    parts.keep_alive.push_back(supervision);
    if (verification) parts.keep_alive.push_back(verification);
    return parts;
  };
  return host::RunService(argc, argv, definition);
}
