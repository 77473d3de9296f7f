// The complaints service's Prometheus metrics, registered on runtime::Metrics() the first time
// each is touched. The desk counts what happened after its transaction committed, so that a
// transaction that ran again is counted once.
//
// Thread-safe (prometheus-cpp's counters and gauges are).
#ifndef PARKLINE_COMPLAINTS_COMPLAINT_METRICS_H_
#define PARKLINE_COMPLAINTS_COMPLAINT_METRICS_H_

#include <string>

#include "parkline/complaints/v1/complaints_types.pb.h"

namespace parkline::complaints {

// parkline_complaint_filings_total{category, channel}: complaints filed.
void CountFiling(v1::Category category, v1::Channel channel);

// parkline_complaint_escalations_total{kind}: committed deadlines that passed (督办).
void CountEscalation(v1::DeadlineKind kind);

// parkline_complaint_step_retries_total{action}: steps recognised as retries (step_retry.h).
void CountStepRetry(const std::string& action);

// parkline_complaints_record_breaks: breaks the last verification of the whole record found.
void SetRecordBreaks(int breaks);

}  // namespace parkline::complaints

#endif  // PARKLINE_COMPLAINTS_COMPLAINT_METRICS_H_
