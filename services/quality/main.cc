// parkline-quality: the park's quality management records (GB/T 39678-2020 5.1, 5.6, 7.1, 7.2,
// 8): the versioned register of its organisation, duties, rules, guides, specifications, manuals
// and safety plans; inspections and their corrective actions, supervised and hash-chained; the
// operator's training sessions, drills and staff certifications.
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "calendar/calendar_data.h"
#include "calendar/working_calendar.h"
#include "host/group_commit_metrics.h"
#include "host/service_host.h"
#include "quality/access_policy.h"
#include "quality/assessment_desk.h"
#include "quality/config.h"
#include "quality/quality_desk.h"
#include "quality/quality_service.h"
#include "quality/report_sources.h"
#include "quality/schema.h"
#include "quality/statistics_figures.h"
#include "runtime/log.h"
#include "runtime/ticker.h"

int main(int argc, char** argv) {
  using namespace parkline;
  host::ServiceDefinition definition;
  definition.defaults = {"quality", 50057, 9457};
  definition.usage =
      "parkline-quality: the park's versioned records register (organisation, duties, rules, "
      "service guides and specifications, manuals, safety plans), inspections and corrective "
      "actions, trainings, drills and staff certifications, the assessment scheme and its results\n"
      "per period, and the clause 8 evidence report.\n"
      "Every flag has a PARKLINE_<FLAG> environment fallback.";
  definition.policy = quality::AccessPolicy;
  definition.migrate = quality::ApplySchema;
  definition.build = [](host::HostContext& ctx) -> absl::StatusOr<host::ServiceParts> {
    auto config = quality::LoadConfig();
    if (!config.ok()) return config.status();
    host::ServiceParts parts;
    events::OutboxRelay* relay = &ctx.relay;
    auto writer = host::NewGroupCommitter(ctx.db);
    auto calendar = config->calendar_file.empty()
                        ? calendar::WorkingCalendar::FromJson(calendar::kBuiltInCalendar)
                        : calendar::WorkingCalendar::Load(config->calendar_file);
    if (!calendar.ok()) return calendar.status();
    absl::TimeZone park;
    if (!absl::LoadTimeZone("Asia/Shanghai", &park)) {
      return absl::FailedPreconditionError("the time zone Asia/Shanghai is not installed");
    }
    // Corrective actions' deadlines are only as good as the calendar: say so when it runs short.
    int year = absl::ToCivilYear(absl::Now(), park).year();
    for (int y : {year, year + 1}) {
      if (!calendar->Covers(y)) {
        log::Warn("the working-day calendar lacks a year; only weekends are rest days",
                  {{"year", absl::StrCat(y)}});
      }
    }
    quality::DeskSettings settings{config->max_document_bytes,
                                   {config->action_department, config->action_deadline_days},
                                   {*calendar, park}};
    auto desk = std::make_shared<quality::QualityDesk>(
        ctx.db, *writer, [relay] { relay->Notify(); }, settings, [] { return absl::Now(); });
    auto training = std::make_shared<quality::TrainingDesk>(
        ctx.db, *writer, [relay] { relay->Notify(); }, park, [] { return absl::Now(); });
    auto assessment = std::make_shared<quality::AssessmentDesk>(
        ctx.db, *writer, [relay] { relay->Notify(); }, [] { return absl::Now(); });
    if (auto s = assessment->RefreshGauge(); !s.ok()) return s;
    // The assessment's inputs: the statistics' closed days and the complaints' feedback.
    quality::FollowAssessmentInputs(host::AddConsumer(ctx, parts, "assessment"));
    // The evidence report's sources beyond the register and the inspections: the trainings and
    // certifications (5.6), the assessment's scheme and results (7.2), and the figures of 5.5.4
    // and 7.3 from the statistics service.
    auto training_evidence = std::make_shared<quality::TrainingEvidenceSource>(*training);
    auto assessment_evidence = std::make_shared<quality::AssessmentEvidenceSource>(*assessment);
    auto statistics = std::make_shared<quality::StatisticsFigures>(quality::StatisticsSettings{
        config->statistics_address, config->statistics_token_file, config->statistics_tls_ca,
        absl::Seconds(config->statistics_timeout_seconds)});
    quality::ReportSources sources;
    sources.statistics = statistics.get();
    sources.assessments = assessment_evidence.get();
    sources.trainings = training_evidence.get();
    desk->WireReportSources(sources);
    parts.grpc_services.push_back(
        std::make_unique<quality::QualityService>(*desk, *training, *assessment, ctx.authorizer));
    // Supervision of corrective actions (7.1.4), as the complaints' of their deadlines.
    auto supervision = std::make_shared<runtime::Ticker>(
        absl::Seconds(config->supervision_seconds), [desk, training] {
          auto marked = desk->Supervise();
          if (!marked.ok()) {
            log::Error("supervision failed", {{"error", std::string(marked.status().message())}});
          }
          // Certifications come due as days pass, without any write: recount them each pass.
          auto expiring = training->WatchExpiry();
          if (!expiring.ok()) {
            log::Error("certification expiry count failed",
                       {{"error", std::string(expiring.status().message())}});
          }
        });
    // Destroyed in reverse order: the ticker first, then the desk, then the writer.
    parts.keep_alive.push_back(statistics);
    parts.keep_alive.push_back(writer);
    parts.keep_alive.push_back(desk);
    parts.keep_alive.push_back(assessment);
    parts.keep_alive.push_back(assessment_evidence);
    parts.keep_alive.push_back(training_evidence);
    parts.keep_alive.push_back(training);
    parts.keep_alive.push_back(supervision);
    return parts;
  };
  return host::RunService(argc, argv, definition);
}
