#include "complaints/complaint_deadline.h"

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "complaints/vocabulary.h"

namespace parkline::complaints {

ComplaintDeadline::ComplaintDeadline(WorkingCalendar calendar, absl::TimeZone park)
    : calendar_(std::move(calendar)), park_(park) {
  targets_ = {{v1::CATEGORY_CLEARANCE, {1, 5}},  {v1::CATEGORY_LOGISTICS, {1, 5}},
              {v1::CATEGORY_FACILITIES, {1, 3}}, {v1::CATEGORY_PROPERTY, {1, 5}},
              {v1::CATEGORY_FEES, {1, 10}},      {v1::CATEGORY_SERVICE_ATTITUDE, {1, 5}},
              {v1::CATEGORY_OTHER, {1, 10}}};
}

absl::Status ComplaintDeadline::Configure(absl::string_view spec) {
  std::map<v1::Category, DeadlineTargets> next = targets_;
  for (absl::string_view entry : absl::StrSplit(spec, ',', absl::SkipWhitespace())) {
    entry = absl::StripAsciiWhitespace(entry);
    std::vector<absl::string_view> kv = absl::StrSplit(entry, absl::MaxSplits('=', 1));
    std::vector<absl::string_view> days =
        kv.size() == 2 ? absl::StrSplit(kv[1], '/') : std::vector<absl::string_view>{};
    auto category = kv.empty() ? std::nullopt : ParseCategory(kv[0]);
    DeadlineTargets t;
    if (!category || days.size() != 2 || !absl::SimpleAtoi(days[0], &t.acknowledge_days) ||
        !absl::SimpleAtoi(days[1], &t.resolve_days)) {
      return absl::InvalidArgumentError(
          absl::StrCat("deadlines: '", entry, "' is not <category>=<ack days>/<resolve days>"));
    }
    if (t.acknowledge_days < 1 || t.resolve_days > 60 || t.acknowledge_days > t.resolve_days) {
      return absl::InvalidArgumentError(
          absl::StrCat("deadlines: '", entry,
                       "': days must be 1..60, acknowledgement no later than resolution"));
    }
    next[*category] = t;
  }
  targets_ = std::move(next);
  return absl::OkStatus();
}

DeadlineTargets ComplaintDeadline::TargetsFor(v1::Category category) const {
  auto it = targets_.find(category);
  return it == targets_.end() ? targets_.at(v1::CATEGORY_OTHER) : it->second;
}

absl::Time ComplaintDeadline::After(absl::Time from, int days) const {
  absl::CivilDay day = absl::ToCivilDay(from, park_);
  return absl::FromCivil(calendar_.AddWorkingDays(day, days) + 1, park_);
}

Deadlines ComplaintDeadline::For(v1::Category category, absl::Time filed) const {
  DeadlineTargets t = TargetsFor(category);
  return {After(filed, t.acknowledge_days), After(filed, t.resolve_days)};
}

}  // namespace parkline::complaints
