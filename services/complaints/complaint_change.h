// The complaints desk's writes as one transaction sees them, apart from what is decided
// (step_effects.h): recognising a filing or a step already applied, checking that the parties
// named as resident enterprises are resident, and storing a step's change, its record entry sealed
// onto the complaint's chain (record_chain.h), and its events in the outbox.
//
// Each function runs inside the caller's transaction and reads or writes through it only, so a
// transaction that runs again (a serialization failure) repeats them whole. Not thread-safe: a
// transaction belongs to one thread.
#ifndef PARKLINE_COMPLAINTS_COMPLAINT_CHANGE_H_
#define PARKLINE_COMPLAINTS_COMPLAINT_CHANGE_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "complaints/complaint_repository.h"
#include "complaints/step_effects.h"
#include "complaints/step_retry.h"
#include "parkline/complaints/v1/complaints.pb.h"
#include "store/database.h"

namespace parkline::complaints {

// The complaint a filing keyed `request_id` created before, when it had the same content
// (`digest`): the filing is retried. ALREADY_EXISTS when the key filed other content; nullopt when
// no filing holds it.
absl::StatusOr<std::optional<StoredComplaint>> FindFiled(ComplaintRepository& repo,
                                                         const std::string& request_id,
                                                         const std::string& digest);

// NOT_RESIDENT for a complainant or target named as a resident enterprise that is not resident
// in the park (yet: the registry's event may not have arrived), both at once.
absl::Status CheckPartiesResident(store::Transaction& tx, const v1::FileComplaintRequest& request);

// Whether `attempt` retries a step already applied: the step holding its request_id, or without
// one the complaint's last entry (at `head`), as step_retry.h says.
absl::StatusOr<StepVerdict> JudgeAttempt(ComplaintRepository& repo, const StepAttempt& attempt,
                                         const ChainHead& head);

// One change to a stored complaint: the step fills the entry's action, actor, note and details and
// the events (step_effects.h); SealEntry and Write do the rest.
struct ComplaintChange {
  StoredComplaint stored;
  absl::Time now;
  v1::RecordEntry entry;
  Events events;
  bool skip = false;  // nothing to record after all

  // Completes the entry (the statuses, the time, the step's request_id) and seals it after the
  // complaint's head.
  void SealEntry(const std::string& complaint_id, v1::ComplaintStatus from,
                 const StepAttempt* attempt);

  // Stores the complaint, its sealed entry (with the attempt's key and digest, when a client's
  // step) and the events; sets `published` when it appended one.
  absl::Status Write(ComplaintRepository& repo, store::Transaction& tx,
                     const std::string& complaint_id, const StepAttempt* attempt, bool& published);
};

}  // namespace parkline::complaints

#endif  // PARKLINE_COMPLAINTS_COMPLAINT_CHANGE_H_
