// A stand-in for customs, so that a park without an e-Port connection (tools/dev up, tests) runs
// the whole flow: every inventory sent gets the receipts customs would send, after a delay.
//
// What it answers is decided by PlanReceipts, a pure function of the seed and the case id (so a
// test with a seed knows the outcome of every case, whatever the order of submissions):
//   rejected (rejection_percent of cases):  2, 100
//   inspected (inspection_percent of the others): 2, 120, 399, 500, 800
//   otherwise:                                2, 120, 399, 800
// one receipt every `step` after the submission. CustomsSimulator delivers the planned receipts
// when due on one background thread. Planned receipts live in memory: a restart forgets the
// receipts not yet delivered (a simulator, not customs).
//
// Thread-safety: CustomsSimulator is thread-safe; PlanReceipts is pure.
#ifndef PARKLINE_CLEARANCE_CUSTOMS_SIMULATOR_H_
#define PARKLINE_CLEARANCE_CUSTOMS_SIMULATOR_H_

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "clearance/customs_gateway.h"
#include "parkline/clearance/v1/clearance.pb.h"

namespace parkline::clearance {

struct SimulatorOptions {
  absl::Duration step = absl::Seconds(2);
  int inspection_percent = 10;  // 0..100
  int rejection_percent = 5;    // 0..100
  uint64_t seed = 1;
};

struct PlannedReceipt {
  absl::Time due;
  v1::CustomsReceipt receipt;
};

// The receipts customs would send for `case_id` submitted at `submit_time`. returnTime is the due
// time in the park's time zone (yyyyMMddHHmmssSSS).
std::vector<PlannedReceipt> PlanReceipts(const SimulatorOptions& options,
                                         const std::string& case_id, absl::Time submit_time);

class CustomsSimulator final : public CustomsGateway {
 public:
  // `deliver` records one receipt (ClearanceDesk::RecordReceipt); its errors are logged.
  CustomsSimulator(SimulatorOptions options,
                   std::function<absl::Status(const v1::CustomsReceipt&)> deliver);
  ~CustomsSimulator() override;

  absl::Status Send(const OutgoingMessage& message) override;

 private:
  void Run();

  SimulatorOptions options_;
  std::function<absl::Status(const v1::CustomsReceipt&)> deliver_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::multimap<absl::Time, v1::CustomsReceipt> pending_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace parkline::clearance

#endif  // PARKLINE_CLEARANCE_CUSTOMS_SIMULATOR_H_
