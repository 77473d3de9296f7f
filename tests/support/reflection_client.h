// Server reflection used the way grpcurl uses it before it can call a method: list the services,
// then for each ask for the file defining it, ask again for every imported file that did not come
// with it, and build the service's descriptors from what came back. A service that cannot be
// built this way is one grpcurl cannot call ("target server does not expose service").
#ifndef PARKLINE_TESTS_SUPPORT_REFLECTION_CLIENT_H_
#define PARKLINE_TESTS_SUPPORT_REFLECTION_CLIENT_H_

#include <map>
#include <memory>
#include <set>
#include <string>

#include "grpcpp/channel.h"
#include "grpcpp/support/status.h"

namespace parkline::testing {

struct ReflectionReport {
  // The stream's outcome, or list_services' refusal (UNAUTHENTICATED for a stranger in production).
  grpc::Status status;
  // What list_services named.
  std::set<std::string> services;
  // Listed services that did not resolve, with why.
  std::map<std::string, std::string> unresolved;
};

// `token`, when not empty, is sent as "authorization: Bearer <token>".
ReflectionReport ResolveEveryService(const std::shared_ptr<grpc::Channel>& channel,
                                     const std::string& token);

// What grpcurl does to call a method of `service` without listing first: empty when it resolves,
// why not otherwise.
std::string ResolveService(const std::shared_ptr<grpc::Channel>& channel, const std::string& token,
                           const std::string& service);

}  // namespace parkline::testing

#endif  // PARKLINE_TESTS_SUPPORT_REFLECTION_CLIENT_H_
