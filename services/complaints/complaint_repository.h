// The complaints service's SQL, on one transaction: complaints, their record entries, feedback.
// Thin: no rules here (complaint_desk.h decides); every method maps rows to protobufs and back.
#ifndef PARKLINE_COMPLAINTS_COMPLAINT_REPOSITORY_H_
#define PARKLINE_COMPLAINTS_COMPLAINT_REPOSITORY_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "complaints/record_chain.h"
#include "complaints/step_retry.h"
#include "complaints/supervision.h"
#include "parkline/complaints/v1/complaints.pb.h"
#include "store/database.h"

namespace parkline::complaints {

struct StoredComplaint {
  v1::Complaint complaint;  // without contact details and history
  v1::ContactDetails contact;
  std::string request_digest;
  ChainHead head;
};

// Which complaints a list or export selects; empty fields select all.
struct ComplaintFilter {
  std::string party_uscc;  // complainant, or the enterprise it was forwarded to
  v1::ComplaintStatus status = v1::COMPLAINT_STATUS_UNSPECIFIED;
  v1::Category category = v1::CATEGORY_UNSPECIFIED;
  int64_t filed_from_micros = INT64_MIN;  // inclusive
  int64_t filed_to_micros = INT64_MAX;    // exclusive
};

class ComplaintRepository {
 public:
  explicit ComplaintRepository(store::Transaction& tx) : tx_(tx) {}

  absl::StatusOr<std::optional<StoredComplaint>> Find(const std::string& complaint_id);
  absl::StatusOr<std::optional<std::string>> FindByRequest(const std::string& request_id);
  // Inserts (first time) or updates the complaint; the record's head comes from `head`.
  absl::Status Insert(const StoredComplaint& stored);
  absl::Status Update(const v1::Complaint& complaint, const ChainHead& head);

  // Appends a sealed entry; a client's step also keeps its request_id (may be empty) and the
  // digest of its content (step_retry.h), for recognising its retry.
  absl::Status Append(const std::string& complaint_id, const v1::RecordEntry& entry,
                      const std::string& request_id = "", const std::string& request_digest = "");
  absl::StatusOr<std::vector<v1::RecordEntry>> Record(const std::string& complaint_id);
  // The step whose entry holds `request_id` (of any complaint), and the step of one entry.
  absl::StatusOr<std::optional<AppliedStep>> StepByRequest(const std::string& request_id);
  absl::StatusOr<std::optional<AppliedStep>> StepAt(const std::string& complaint_id,
                                                    int64_t sequence);

  // Complaints after (filed_micros, complaint_id) in filing order, at most `limit`.
  absl::StatusOr<std::vector<StoredComplaint>> Page(const ComplaintFilter& filter,
                                                    int64_t after_micros,
                                                    const std::string& after_id, int limit);
  // Complaints with a deadline before `now_micros` not yet marked overdue.
  absl::StatusOr<std::vector<std::pair<std::string, DeadlineWatch>>> Due(int64_t now_micros,
                                                                         int limit);

  absl::StatusOr<std::optional<std::pair<v1::Feedback, std::string>>> FindFeedbackByRequest(
      const std::string& request_id);
  absl::Status InsertFeedback(const v1::Feedback& feedback, const std::string& digest);
  absl::StatusOr<std::vector<v1::Feedback>> FeedbackPage(int64_t after_micros,
                                                         const std::string& after_id, int limit);

 private:
  store::Transaction& tx_;
};

}  // namespace parkline::complaints

#endif  // PARKLINE_COMPLAINTS_COMPLAINT_REPOSITORY_H_
