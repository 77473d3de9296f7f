// A park's quality records for the clause 8 evidence report's tests, on each store backend: the
// register (every 8.1.1 kind but the internal manual, the fire-safety and emergency plans), an
// internal inspection with one action closed on time and one overdue, an enterprise's
// supervision whose inspector and scope are written as markup, and a statistics source with a
// year of monthly figures. The desk's clock stands at 2026-11-20 10:00 in Asia/Shanghai.
#ifndef PARKLINE_TESTS_INTEGRATION_QUALITY_REPORT_FIXTURE_H_
#define PARKLINE_TESTS_INTEGRATION_QUALITY_REPORT_FIXTURE_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "calendar/calendar_data.h"
#include "quality/quality_desk.h"
#include "quality/schema.h"
#include "store/group_commit.h"
#include "tests/support/backend_test.h"

namespace parkline::quality {

inline const Viewer kReportStaff{"staff-li", true, ""};
inline const Viewer kReportAnalyst{"analyst-wu", false, "", false, {}, false, "", true};
inline const Viewer kReportEnterprise{
    "acme-erp", false, "91350100M000100Y43", false, {"91350100M000100Y43"}};
inline constexpr char kMarkup[] = "<b id=\"injected\">Chen</b><script>document.title='x'</script>";

// A year of figures, as the statistics service would add them up (month buckets).
class FakeStatistics final : public StatisticsSource {
 public:
  absl::StatusOr<StatisticsEvidence> Figures(const ReportPeriod& period) override {
    ++calls;
    StatisticsEvidence s;
    // A current value's total is its last; a counted one's, the sum.
    auto series = [&](const std::string& name, const std::string& unit, auto value) {
      IndicatorSeries out{unit, {}, ""};
      int month = 0;
      int64_t sum = 0;
      for (absl::CivilMonth m(period.from); m <= absl::CivilMonth(period.to); ++m, ++month) {
        out.points.emplace_back(absl::FormatCivilTime(m).substr(0, 7), value(month));
        out.total = value(month);
        sum += std::stoll(value(month));
      }
      if (unit == "count" && name != "enterprises_resident") out.total = absl::StrCat(sum);
      s.series[name] = out;
    };
    series("enterprises_resident", "count", [](int m) { return absl::StrCat(9 + m); });
    series("occupancy_ratio", "ratio", [](int m) { return absl::StrCat("0.", 55 + 3 * m, "00"); });
    series("trade_value_cny", "CNY",
           [](int m) { return absl::StrCat(120000 + 35000 * m, ".50000"); });
    series("declarations_matched", "count", [](int m) { return absl::StrCat(40 + 7 * m); });
    series("complaints_filed", "count", [](int m) { return absl::StrCat(2 + m % 3); });
    series("complaints_resolved", "count", [](int m) { return absl::StrCat(2 + m % 3); });
    series("complaints_resolved_on_time", "count",
           [](int m) { return absl::StrCat(m == 4 ? 1 : 2 + m % 3); });
    series("complaints_overdue", "count", [](int m) { return absl::StrCat(m == 4 ? 1 : 0); });
    series("complaint_satisfaction_count", "count", [](int) { return std::string("2"); });
    s.export_sha256 = std::string(64, 'c');
    s.export_rows = 3421;
    return s;
  }
  int calls = 0;
};

class ReportFixture : public testing::BackendTest<ApplySchema> {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    DeskSettings settings;
    auto calendar = calendar::WorkingCalendar::FromJson(calendar::kBuiltInCalendar);
    ASSERT_TRUE(calendar.ok());
    settings.park.calendar = *calendar;
    ASSERT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &settings.park.zone));
    zone_ = settings.park.zone;
    now_ = At(2026, 3, 2);
    writer_ = std::make_unique<store::GroupCommitter>(*db_);
    desk_ =
        std::make_unique<QualityDesk>(*db_, *writer_, nullptr, settings, [this] { return now_; });
  }

  absl::Time At(int y, int m, int d) {
    return absl::FromCivil(absl::CivilSecond(y, m, d, 10, 0, 0), zone_);
  }

  void Publish(const std::string& request_id, v1::DocumentKind kind, const std::string& title) {
    v1::PublishDocumentRequest r;
    r.set_request_id(request_id);
    r.set_kind(kind);
    r.set_title(title);
    r.set_visibility(v1::VISIBILITY_INTERNAL);
    r.set_effective_date("2026-03-01");
    r.set_approved_by("Wang Fang, general manager");
    r.set_media_type("text/markdown");
    r.set_content("# " + title + "\n");
    auto v = desk_->Publish(r, kReportStaff);
    ASSERT_TRUE(v.ok()) << v.status();
  }

  void Seed() {
    Publish("doc-rule", v1::DOCUMENT_KIND_MANAGEMENT_RULE, "Operating services rules");
    Publish("doc-org", v1::DOCUMENT_KIND_ORGANISATION_CHART, "Organisation of the park company");
    Publish("doc-duty", v1::DOCUMENT_KIND_DEPARTMENT_DUTIES, "Department duties");
    Publish("doc-fire", v1::DOCUMENT_KIND_FIRE_SAFETY_PLAN, "Fire-safety management rules");
    Publish("doc-plan", v1::DOCUMENT_KIND_EMERGENCY_PLAN, "Emergency response plan");

    now_ = At(2026, 9, 29);
    v1::RecordInspectionRequest r;
    r.set_request_id("ins-q3");
    r.set_kind(v1::INSPECTION_KIND_INTERNAL_PERIODIC);
    r.set_inspected_date("2026-09-29");
    r.set_inspector("Li Ming, quality office");
    r.set_scope("Q3 periodic inspection: fire exits, loading bays");
    v1::Finding* f = r.add_findings();
    f->set_description("Fire exit 3 blocked by pallets");
    f->set_owner_department("facilities-management");
    f->set_deadline_working_days(2);
    r.add_findings()->set_description("Evacuation map outdated");
    auto in = desk_->RecordInspection(r, kReportStaff);
    ASSERT_TRUE(in.ok()) << in.status();
    inspection_id_ = in->inspection_id();
    now_ = At(2026, 10, 8);
    v1::CloseCorrectiveActionRequest close;
    close.set_action_id(in->actions(0).action_id());
    close.set_request_id("close-1");
    close.set_evidence("Pallets moved; exit marked");
    ASSERT_TRUE(desk_->CloseAction(close, kReportStaff).ok());

    v1::RecordInspectionRequest sup;
    now_ = At(2026, 10, 13);
    sup.set_request_id("sup-1");
    sup.set_kind(v1::INSPECTION_KIND_ENTERPRISE_SUPERVISION);
    sup.set_inspected_date("2026-10-12");
    sup.set_inspector(kMarkup);
    sup.set_scope(kMarkup);
    sup.set_filer_uscc(kReportEnterprise.uscc);
    sup.add_findings()->set_description("Loading bay lights out at night");
    auto filed = desk_->RecordInspection(sup, kReportEnterprise);
    ASSERT_TRUE(filed.ok()) << filed.status();

    now_ = At(2026, 11, 20);
    auto marked = desk_->Supervise();  // the evacuation map's action is overdue by now
    ASSERT_TRUE(marked.ok()) << marked.status();
  }

  // The seeded records' report as the analyst reads it, the statistics from `statistics_`.
  absl::StatusOr<v1::GetEvaluationReportResponse> SeededReport() {
    Seed();
    if (HasFatalFailure()) return absl::InternalError("seeding failed");
    ReportSources sources;
    sources.statistics = &statistics_;
    desk_->WireReportSources(sources);
    return desk_->EvaluationReport(Request(), kReportAnalyst);
  }

  v1::GetEvaluationReportRequest Request() {
    v1::GetEvaluationReportRequest r;
    r.set_period_from("2026-01-01");
    r.set_period_to("2026-11-30");
    r.set_title(std::string("Evaluation 2026 ") + kMarkup);
    return r;
  }

  absl::TimeZone zone_;
  absl::Time now_;
  std::string inspection_id_;
  FakeStatistics statistics_;
  std::unique_ptr<store::GroupCommitter> writer_;
  std::unique_ptr<QualityDesk> desk_;
};

}  // namespace parkline::quality

#endif  // PARKLINE_TESTS_INTEGRATION_QUALITY_REPORT_FIXTURE_H_
