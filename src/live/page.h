// One page of a List answer, rewritten for a snapshot: items one per line, credentials masked,
// and the containers whose logs are worth fetching noted on the way.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ktriage {

/// What kind of items a page holds, for what the rewrite does to them.
enum class PageKind {
  kGeneric,
  kPod,         ///< containers whose logs diagnosis reads are noted (PageInfo::wanted)
  kSecretMeta,  ///< PartialObjectMetadata items become kind-less Secret items, marked
                ///< `ktriage.io/data: not-collected`; any data that came anyway loses values
  kConfigMap,   ///< data values pass through redact_credentials
  kEvent,       ///< message / note pass through redact_credentials
};

/// The annotation that marks a Secret read as metadata only (its key names are unknown).
inline constexpr std::string_view kDataNotCollectedAnnotation = "ktriage.io/data";

/// A container whose log diagnosis reads: one that failed, restarted (crash causes) or runs
/// without being ready (readiness failures), or an
/// Ingress controller's (it logs which Services have no endpoints).
struct WantedLog {
  std::string ns, pod, container;
  bool previous = false;  ///< it restarted: the previous run's log exists
  bool failing = true;    ///< false for a healthy Ingress controller
};

/// What a page said besides its items.
struct PageInfo {
  std::size_t items = 0;
  std::string continue_token;     ///< metadata.continue; empty on the last page
  std::vector<WantedLog> wanted;  ///< kPod pages only
};

/// Parses `body` (a List: {"kind":"PodList","metadata":{...},"items":[...]}) and appends each
/// item to `out` in kubectl's List layout, "        {\n<members>\n        }", joined by ",\n"
/// (no comma when `out` is empty or ends a line, as a List header does), with the masks of redact.h
/// applied to env values, annotations, container args and command, probes' exec commands, ConfigMap
/// data and event messages; managedFields dropped. Returns the parser's error message when the body
/// is not a List. Items without their own `kind`/`apiVersion` (the API server omits them in typed
/// lists) get `item_kind` and `api_version` first, as `kubectl get -o json` prints them.
std::string append_page(std::string_view body, PageKind kind, std::string_view item_kind,
                        std::string_view api_version, std::string& out, PageInfo& info);

/// Masks credentials in a JSON document (the same rules as append_page) and returns it compact.
/// Used for `kubectl.kubernetes.io/last-applied-configuration`, which holds a whole manifest.
std::string redact_json_text(std::string_view json);

}  // namespace ktriage
