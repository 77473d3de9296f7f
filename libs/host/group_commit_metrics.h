// The group-commit writer a service's write RPCs share, with its commits in /metrics: how many
// requests each shared transaction carried and how long it took. Together they say whether slow
// writes wait on the writer and its disk (long transactions of many requests each) or elsewhere
// (short ones of one or two): the first question when write latency rises.
#ifndef PARKLINE_HOST_GROUP_COMMIT_METRICS_H_
#define PARKLINE_HOST_GROUP_COMMIT_METRICS_H_

#include <memory>

#include "store/database.h"
#include "store/group_commit.h"

namespace parkline::host {

// A GroupCommitter on `db` (which must outlive it) whose commits are observed in
// parkline_group_commit_batch_size and parkline_group_commit_seconds.
std::shared_ptr<store::GroupCommitter> NewGroupCommitter(store::Database& db);

}  // namespace parkline::host

#endif  // PARKLINE_HOST_GROUP_COMMIT_METRICS_H_
