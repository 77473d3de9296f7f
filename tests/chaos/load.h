// A bounded load for the chaos suite: import document sets (order, payment, waybill from
// libs/samples), one set after another at a fixed rate, sent to whichever declarations process is
// running. Each document is sent until the service answers it (a kill in between only delays
// it: a document sent twice is a DUPLICATE, never a second declaration), so every set started
// is accepted unless the load's deadline passes first.
#ifndef PARKLINE_TESTS_CHAOS_LOAD_H_
#define PARKLINE_TESTS_CHAOS_LOAD_H_

#include <atomic>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "absl/time/time.h"
#include "samples/import_sets.h"
#include "tests/chaos/park.h"

namespace parkline::chaos {

class ImportLoad {
 public:
  // `per_second` sets a second for `duration`, numbered from `first`.
  ImportLoad(Park& park, samples::ImportCodes codes, int first, double per_second,
             absl::Duration duration);
  ~ImportLoad();

  // Waits for the last set to be answered (or given up after `give_up` past the end).
  void Join();

  // "<ebp_code>/<order_no>" of every set whose three documents were accepted.
  std::set<std::string> accepted();
  int failed() const { return failed_; }

 private:
  void Run();
  bool Send(int n, absl::Time give_up);

  Park& park_;
  samples::ImportCodes codes_;
  int first_;
  double per_second_;
  absl::Duration duration_;
  std::mutex mu_;
  std::set<std::string> accepted_;
  std::atomic<int> failed_{0};
  std::thread thread_;
};

}  // namespace parkline::chaos

#endif  // PARKLINE_TESTS_CHAOS_LOAD_H_
