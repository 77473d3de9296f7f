// parkline-statistics: the park's statistics system (GB/T 39678-2020 5.5.4). Counts every
// domain's events exactly once into indicators, serves them over gRPC and on /metrics.
#include "absl/strings/str_cat.h"
#include "host/service_host.h"
#include "runtime/job_errors.h"
#include "runtime/log.h"
#include "runtime/metrics.h"
#include "runtime/ticker.h"
#include "statistics/access_policy.h"
#include "statistics/aggregator.h"
#include "statistics/config.h"
#include "statistics/day_closer.h"
#include "statistics/event_effects.h"
#include "statistics/indicator_metrics.h"
#include "statistics/schema.h"
#include "statistics/statistics_desk.h"
#include "statistics/statistics_service.h"

int main(int argc, char** argv) {
  using namespace parkline;
  host::ServiceDefinition definition;
  definition.defaults = {"statistics", 50056, 9456};
  definition.usage =
      "parkline-statistics: the park's indicators (5.5.4) from every domain's events.\n"
      "Every flag has a PARKLINE_<FLAG> environment fallback.";
  definition.policy = statistics::AccessPolicy;
  definition.migrate = statistics::ApplySchema;
  definition.build = [](host::HostContext& ctx) -> absl::StatusOr<host::ServiceParts> {
    auto config = statistics::LoadConfig();
    if (!config.ok()) return config.status();
    absl::TimeZone zone = config->zone();
    host::ServiceParts parts;
    auto desk = std::make_shared<statistics::StatisticsDesk>(ctx.db, zone);
    auto metrics = std::make_shared<statistics::IndicatorMetrics>(*desk);
    runtime::AddCollectable(metrics);
    parts.grpc_services.push_back(
        std::make_unique<statistics::StatisticsService>(*desk, ctx.authorizer));

    // Every domain's topic: OnBatch subscribes to the topic of each type the aggregator handles.
    auto rates = statistics::LoadExchangeRates(*config);
    if (!rates.ok()) return rates.status();
    log::Info("exchange rates loaded",
              {{"path", config->exchange_rates}, {"rates", absl::StrCat(rates->size())}});
    auto aggregator = std::make_shared<statistics::Aggregator>(zone, *std::move(rates));
    events::EventConsumer& consumer = host::AddConsumer(ctx, parts, "");
    consumer.OnBatch(
        statistics::HandledTypes(),
        [aggregator](store::Transaction& tx, const std::vector<events::EventView>& batch) {
          return aggregator->Apply(tx, batch);
        },
        config->max_batch);
    // Park days close on a ticker, once the aggregator has caught up with its topics (a lag
    // report within the last 30 s found every partition applied to its end).
    statistics::DayCloser::Options options;
    options.zone = zone;
    options.grace = absl::Seconds(config->day_close_grace_seconds);
    options.caught_up = [&consumer] {
      return absl::Now() - consumer.CaughtUpAt() < absl::Seconds(30);
    };
    events::OutboxRelay* relay = &ctx.relay;
    options.published = [relay] { relay->Notify(); };
    auto closer = std::make_shared<statistics::DayCloser>(ctx.db, std::move(options),
                                                          [] { return absl::Now(); });
    // Stopped before the consumers stop (it reads the consumer's progress).
    auto ticker = std::make_shared<std::unique_ptr<runtime::Ticker>>(
        std::make_unique<runtime::Ticker>(absl::Seconds(15), [closer] {
          runtime::CheckJob("statistics_day_close", closer->CloseDue().status());
        }));
    parts.on_stopping.push_back([closer, ticker] {
      closer->Stop();
      ticker->reset();
    });
    parts.keep_alive.push_back(closer);
    parts.keep_alive.push_back(ticker);
    parts.keep_alive.push_back(desk);
    parts.keep_alive.push_back(metrics);
    parts.keep_alive.push_back(aggregator);
    return parts;
  };
  return host::RunService(argc, argv, definition);
}
