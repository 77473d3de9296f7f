#include "complaints/complaint_change.h"

#include "absl/strings/str_cat.h"
#include "complaints/complaint_desk.h"
#include "complaints/complaint_time.h"
#include "complaints/record_chain.h"
#include "errors/violations.h"
#include "events/envelope.h"
#include "events/outbox.h"
#include "residents/residents.h"

namespace parkline::complaints {

absl::StatusOr<std::optional<StoredComplaint>> FindFiled(ComplaintRepository& repo,
                                                         const std::string& request_id,
                                                         const std::string& digest) {
  auto existing = repo.FindByRequest(request_id);
  if (!existing.ok()) return existing.status();
  if (!*existing) return std::nullopt;
  auto stored = repo.Find(**existing);
  if (!stored.ok()) return stored.status();
  if (!*stored) return absl::InternalError("complaint vanished during its read");
  if ((*stored)->request_digest != digest) {
    // Not naming the complaint: whoever reuses another filer's request id learns nothing of it.
    return absl::AlreadyExistsError(
        absl::StrCat("request_id: ", request_id, " was used for another complaint"));
  }
  return stored;
}

absl::Status CheckPartiesResident(store::Transaction& tx, const v1::FileComplaintRequest& request) {
  errors::Violations strangers;
  auto must_be_resident = [&](const char* field, v1::PartyKind kind,
                              const std::string& uscc) -> absl::Status {
    if (kind != v1::PARTY_KIND_RESIDENT_ENTERPRISE) return absl::OkStatus();
    auto resident = residents::IsResident(tx, uscc);
    if (!resident.ok()) return resident.status();
    if (!*resident) {
      strangers.Add(field, "NOT_RESIDENT",
                    absl::StrCat("enterprise ", uscc, " is not resident in the park"));
    }
    return absl::OkStatus();
  };
  const auto& complainant = request.complainant();
  if (auto s = must_be_resident("complainant.uscc", complainant.kind(), complainant.uscc());
      !s.ok()) {
    return s;
  }
  const auto& target = request.target();
  if (auto s = must_be_resident("target.uscc", target.kind(), target.uscc()); !s.ok()) return s;
  return strangers.empty() ? absl::OkStatus() : strangers.ToStatus();
}

absl::StatusOr<StepVerdict> JudgeAttempt(ComplaintRepository& repo, const StepAttempt& attempt,
                                         const ChainHead& head) {
  std::optional<AppliedStep> keyed, last;
  auto found = attempt.request_id.empty() ? repo.StepAt(attempt.complaint_id, head.sequence)
                                          : repo.StepByRequest(attempt.request_id);
  if (!found.ok()) return found.status();
  (attempt.request_id.empty() ? last : keyed) = std::move(*found);
  return JudgeStep(attempt, keyed, last);
}

void ComplaintChange::SealEntry(const std::string& complaint_id, v1::ComplaintStatus from,
                                const StepAttempt* attempt) {
  entry.set_from_status(from);
  entry.set_to_status(stored.complaint.status());
  *entry.mutable_time() = Ts(now);
  if (attempt && !attempt->request_id.empty()) {
    (*entry.mutable_details())["request_id"] = attempt->request_id;
  }
  v1::RecordEntry head;
  head.set_sequence(stored.head.sequence);
  head.set_hash(stored.head.hash);
  Seal(complaint_id, &head, entry);
  *stored.complaint.mutable_update_time() = Ts(now);
}

absl::Status ComplaintChange::Write(ComplaintRepository& repo, store::Transaction& tx,
                                    const std::string& complaint_id, const StepAttempt* attempt,
                                    bool& published) {
  // The complaint's row first, the entry after: when another replica changed the same complaint
  // since this transaction read it, PostgreSQL refuses the UPDATE as a serialization failure
  // (UNAVAILABLE: the transaction runs again and sees that change, a retried step included),
  // where inserting the entry first would fail on its primary key as ALREADY_EXISTS.
  if (auto s = repo.Update(stored.complaint, {entry.sequence(), entry.hash()}); !s.ok()) {
    return s;
  }
  if (auto s = attempt ? repo.Append(complaint_id, entry, attempt->request_id, attempt->digest)
                       : repo.Append(complaint_id, entry);
      !s.ok()) {
    return s;
  }
  for (const auto& event : events) {
    if (auto s = events::AppendToOutbox(
            tx, events::NewEvent(kTopic, kSource, complaint_id, *event, now));
        !s.ok()) {
      return s;
    }
    published = true;
  }
  return absl::OkStatus();
}

}  // namespace parkline::complaints
