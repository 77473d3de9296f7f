// parkline-support: the services the park offers its resident enterprises: recruitment, team
// activities, training, founders' clubs, matchmaking and roadshows with attendance confirmed
// (GB/T 39678-2020 6.8, 6.9.2), and the finance, logistics, technology/IP and legal services it
// brokers with committed response times (6.4, 6.5.3, 6.6, 6.7), with their archive (8.2.8).
#include "calendar/calendar_data.h"
#include "calendar/working_calendar.h"
#include "host/group_commit_metrics.h"
#include "host/service_host.h"
#include "residents/residents.h"
#include "runtime/log.h"
#include "runtime/ticker.h"
#include "support/access_policy.h"
#include "support/config.h"
#include "support/request_desk.h"
#include "support/schema.h"
#include "support/support_desk.h"
#include "support/support_service.h"

int main(int argc, char** argv) {
  using namespace parkline;
  host::ServiceDefinition definition;
  definition.defaults = {"support", 50058, 9458};
  definition.usage =
      "parkline-support: the park's activities for resident enterprises (recruitment, training, "
      "founders' clubs, matchmaking, roadshows), registrations and confirmed attendance; the "
      "service "
      "directory and requests; the start-up incubator.\n"
      "Every flag has a PARKLINE_<FLAG> environment fallback.";
  definition.policy = support::AccessPolicy;
  definition.migrate = support::ApplySchema;
  definition.build = [](host::HostContext& ctx) -> absl::StatusOr<host::ServiceParts> {
    auto config = support::LoadConfig();
    if (!config.ok()) return config.status();
    auto keys = support::LoadPersonalDataKeys(*config);
    if (!keys.ok()) return keys.status();
    auto calendar = config->calendar_file.empty()
                        ? calendar::WorkingCalendar::FromJson(calendar::kBuiltInCalendar)
                        : calendar::WorkingCalendar::Load(config->calendar_file);
    if (!calendar.ok()) return calendar.status();
    host::ServiceParts parts;
    events::OutboxRelay* relay = &ctx.relay;
    auto writer = host::NewGroupCommitter(ctx.db);
    auto desk = std::make_shared<support::SupportDesk>(
        ctx.db, *writer, [relay] { relay->Notify(); }, std::move(*keys),
        [] { return absl::Now(); });
    auto requests = std::make_shared<support::RequestDesk>(
        ctx.db, *writer, [relay] { relay->Notify(); }, std::move(*calendar),
        [] { return absl::Now(); });
    auto incubation = std::make_shared<support::IncubationDesk>(
        ctx.db, *writer, [relay] { relay->Notify(); }, [] { return absl::Now(); });
    parts.grpc_services.push_back(
        std::make_unique<support::SupportService>(*desk, *requests, *incubation, ctx.authorizer));
    // Which enterprises are resident: a local projection of the registry's events.
    residents::Follow(host::AddConsumer(ctx, parts, "residents"));
    auto supervision =
        std::make_shared<runtime::Ticker>(absl::Seconds(config->supervision_seconds), [requests] {
          auto marked = requests->Supervise();
          if (!marked.ok()) {
            log::Error("supervision failed", {{"error", std::string(marked.status().message())}});
          }
        });
    // Destroyed in reverse order: the ticker first, the desks it calls after.
    parts.keep_alive.push_back(writer);
    parts.keep_alive.push_back(desk);
    parts.keep_alive.push_back(requests);
    parts.keep_alive.push_back(incubation);
    parts.keep_alive.push_back(supervision);
    return parts;
  };
  return host::RunService(argc, argv, definition);
}
