// The rules of the operator's training records (GB/T 39678-2020 5.6.1.1 fire-safety education,
// 5.6.3 emergency drills, the staff training the operator owes its own people; kept as clause 8's
// archives) and of its staff's certifications.
//
// A session is recorded once it was held, with its attendees as a count or as a list of names,
// never both: the count is the least personal data that proves the session, and names are kept
// only when the park chooses to, for its own staff's eyes (analysts see the count, events carry
// the count). Its evidence is referenced by URI and SHA-256, as a register document's.
//
// A certification holds a staff member's certificate with its validity. A renewal or replacement
// is a new certification for the same holder and kind; the old one is marked replaced and leaves
// the expiry watch. A replaced certification cannot be renewed again (its successor can).
//
// Pure functions; thread-safe.
#ifndef PARKLINE_QUALITY_TRAINING_RULES_H_
#define PARKLINE_QUALITY_TRAINING_RULES_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "auth/viewer.h"
#include "errors/violations.h"
#include "parkline/quality/v1/quality.pb.h"

namespace parkline::quality {

inline constexpr int kMaxAttendees = 2000;
inline constexpr int kMaxListedAttendees = 500;
inline constexpr int kMaxTrainingPeriodDays = 366;
inline constexpr int kMaxWithinDays = 3650;
// The window of the expiry gauge (quality_metrics.h) and of the alert that reads it.
inline constexpr int kExpiryWatchDays = 30;

// Every form rule of a session, each broken one added to `v`; `today` is the park's date (a
// session is recorded once it was held).
void CheckTraining(const v1::RecordTrainingRequest& request, absl::CivilDay today,
                   errors::Violations& v);
// The session `request` records: its attendee count from the names when names are given.
v1::TrainingSession NewSession(const v1::RecordTrainingRequest& request,
                               const std::string& session_id, const std::string& actor,
                               absl::Time now);
// The session as `viewer` reads it: park staff whole; anybody else (analysts) without names.
v1::TrainingSession SessionForViewer(v1::TrainingSession session, const auth::Viewer& viewer);
// The period of a listing (from, to; both dates, to not before from, at most
// kMaxTrainingPeriodDays), or the violations that name its broken fields.
std::optional<std::pair<absl::CivilDay, absl::CivilDay>> CheckTrainingPeriod(
    const v1::ListTrainingsRequest& request, errors::Violations& v);

void CheckCertification(const v1::RecordCertificationRequest& request, errors::Violations& v);
void CheckRenewal(const v1::RenewCertificationRequest& request, errors::Violations& v);
// FAILED_PRECONDITION when `current` was already renewed or replaced; INVALID_ARGUMENT when the
// renewal expires no later than it.
absl::Status CheckRenewable(const v1::RenewCertificationRequest& request,
                            const v1::Certification& current);
v1::Certification NewCertification(const v1::RecordCertificationRequest& request,
                                   const std::string& certification_id, const std::string& actor,
                                   absl::Time now);
// The certification that renews `current`: its holder and kind, the new certificate's details.
v1::Certification Renewal(const v1::RenewCertificationRequest& request,
                          const v1::Certification& current, const std::string& certification_id,
                          const std::string& actor, absl::Time now);

// The certifications as they stood at the end of `day`, from every one recorded (replaced ones
// too): those issued on or before it, less those a successor issued on or before it replaced. One
// replaced after `day` stood then, as it was (expired or not); one issued after `day` did not
// exist yet. Order kept.
std::vector<v1::Certification> CertificationsStandingOn(const std::vector<v1::Certification>& all,
                                                        absl::CivilDay day);

// The last expiry date a listing "within `within_days`" of `today` includes.
std::string ExpiringBy(absl::CivilDay today, int within_days);
// Days from `today` to the certification's expiry (negative once expired).
int DaysLeft(const v1::Certification& certification, absl::CivilDay today);

std::string TrainingKindName(v1::TrainingKind kind);

}  // namespace parkline::quality

#endif  // PARKLINE_QUALITY_TRAINING_RULES_H_
