#include "host/group_commit_metrics.h"

#include <utility>

#include "host/store_metrics.h"
#include "prometheus/histogram.h"
#include "runtime/metrics.h"

namespace parkline::host {
namespace {

struct CommitMetrics {
  prometheus::Histogram& batch_size;
  prometheus::Histogram& seconds;
};

// One pair per process: a service has one writer.
CommitMetrics& Metrics() {
  static CommitMetrics* m = [] {
    auto& registry = runtime::Metrics();
    return new CommitMetrics{
        prometheus::BuildHistogram()
            .Name("parkline_group_commit_batch_size")
            .Help("Write requests per shared transaction of the group commit (each request is "
                  "durable before its reply; more per transaction, fewer fsyncs per request).")
            .Register(registry)
            .Add({}, prometheus::Histogram::BucketBoundaries{1, 2, 4, 8, 16, 32, 64}),
        prometheus::BuildHistogram()
            .Name("parkline_group_commit_seconds")
            .Help("Time of one shared transaction of the group commit, its requests' work, "
                  "retries and the durable commit included, in seconds.")
            .Register(registry)
            .Add({}, prometheus::Histogram::BucketBoundaries{0.0005, 0.001, 0.002, 0.005, 0.01,
                                                             0.02, 0.05, 0.1, 0.25, 1})};
  }();
  return *m;
}

}  // namespace

std::shared_ptr<store::GroupCommitter> NewGroupCommitter(store::Database& db) {
  CommitMetrics& metrics = Metrics();
  ExposeBusyWaitsOf(store::kGroupCommitWriterThread);
  store::GroupCommitter::Options options;
  options.committed = [&metrics](size_t functions, absl::Duration took) {
    metrics.batch_size.Observe(static_cast<double>(functions));
    metrics.seconds.Observe(absl::ToDoubleSeconds(took));
  };
  return std::make_shared<store::GroupCommitter>(db, std::move(options));
}

}  // namespace parkline::host
