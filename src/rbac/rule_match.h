// One PolicyRule against one request, as the RBAC authorizer matches them: RuleAllows and the
// *Matches helpers of kubernetes pkg/apis/rbac/v1/evaluation_helpers.go (v1.30). Pure functions
// over the rule's parsed object; never allocate except for explanations.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/value.h"
#include "rbac/request.h"

namespace ktriage::rbac {

/// A rule's verbs contain "*" or `verb`. O(verbs).
bool verb_matches(const Value& rule, std::string_view verb);
/// A rule's apiGroups contain "*" or `group` ("" is the core group). O(apiGroups).
bool group_matches(const Value& rule, std::string_view group);
/// A rule's resources contain "*", "resource/subresource" (or "resource" when there is no
/// subresource), or "*/subresource". "pods" does not cover "pods/log". O(resources).
bool resource_matches(const Value& rule, std::string_view resource, std::string_view subresource);
/// An empty resourceNames matches every request; otherwise the request's name must be listed,
/// whatever the verb (ResourceNameMatches). A request without a name (create, deletecollection,
/// a plain list or watch) is never allowed by such a rule; a list or watch with the field
/// selector metadata.name=NAME carries NAME (the API server's RequestInfo sets it), and so does
/// `kubectl auth can-i list pods NAME`. O(resourceNames).
bool resource_name_matches(const Value& rule, std::string_view name);
/// A rule's nonResourceURLs contain "*", `path`, or "PREFIX*" with `path` starting with PREFIX.
bool non_resource_matches(const Value& rule, std::string_view path);

/// Whether `rule` allows `request` (RuleAllows): every attribute matches.
bool rule_allows(const Value& rule, const AccessRequest& request);

/// The attributes of `request` that `rule` does not cover, each as a short phrase ("verb list
/// (the rule has get, watch)", "resource pods/log (the rule has pods)"); empty when it allows.
std::vector<std::string> rule_misses(const Value& rule, const AccessRequest& request);

/// "get,list pods,services" / "get /healthz,/version": a rule in one line, for evidence.
std::string rule_text(const Value& rule);

}  // namespace ktriage::rbac
