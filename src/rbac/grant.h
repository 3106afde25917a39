// The smallest RBAC objects that grant one request to one subject, as YAML for
// `kubectl apply -f -`. Pure text generation; never reads input.
#pragma once

#include <string>
#include <string_view>

#include "rbac/request.h"

namespace ktriage::rbac {

/// A Role and RoleBinding in the request's namespace, or a ClusterRole and ClusterRoleBinding for
/// a cluster-scope or non-resource request, granting `request` to `user` (a service account's
/// user name becomes a ServiceAccount subject, any other name a User). The rule names the object
/// when the request does (resourceNames); list and watch are granted together, since a client
/// that lists (an informer) watches next. Names are DNS-1123 labels derived from the subject and
/// resource. Example: grant_yaml({verb "list", resource "pods", ns "shop"},
/// "system:serviceaccount:shop:web") is a Role "web-pods" with rule {apiGroups [""], resources
/// [pods], verbs [list, watch]} and its RoleBinding to ServiceAccount shop/web.
///
/// With `leader_election` (see is_leader_election_lock) the Role grants what client-go leader
/// election does on its lock instead of the one request: it gets the lock, creates it when it
/// does not exist yet and updates it to renew (k8s.io/client-go
/// tools/leaderelection/resourcelock, leaselock.go Get/Create/Update). So the rules are get and
/// update limited to the named lock, plus create without resourceNames, since a create request
/// carries no name and a resourceNames rule never allows it
/// (https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-resources), as
/// the bootstrap ClusterRole system:kube-controller-manager grants its own lease (kube-apiserver
/// plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go).
std::string grant_yaml(const AccessRequest& request, std::string_view user,
                       bool leader_election = false);

/// The name grant_yaml gives both objects ("web-pods", "agent-nodes"; with `leader_election`
/// "operator-leader-election").
std::string grant_name(const AccessRequest& request, std::string_view user,
                       bool leader_election = false);

/// Whether `request` is most likely client-go leader election on its lock, so that the grant
/// should cover the lock's whole cycle (grant_yaml's `leader_election`): a namespaced get,
/// create or update of leases in coordination.k8s.io, which exist for leader election and node
/// heartbeats; or of configmaps or endpoints (the locks of older client-go, ConfigMapLock and
/// EndpointsLock) when `context`, the log line or event message that shows the refusal, says so
/// with client-go's or controller-runtime's wording ("error retrieving resource lock", "leader
/// election", ...). O(len(context)).
bool is_leader_election_lock(const AccessRequest& request, std::string_view context);

}  // namespace ktriage::rbac
