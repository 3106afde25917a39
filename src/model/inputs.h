// What the loaders hand to the model: parsed objects with their origin, logs, the server version
// and the problems met on the way. Produced by src/load or src/live, consumed by Cluster::build.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/object_ref.h"
#include "core/source_location.h"
#include "core/value.h"
#include "model/helm_release.h"
#include "model/object_head.h"
#include "model/pull_secret.h"

namespace ktriage {

/// One Kubernetes object as read. `root` points into one of Inputs::arenas.
struct RawObject {
  Value root;
  std::uint32_t file = 0;  ///< index into Inputs::files
  SourcePos pos;           ///< where the object starts in that file
  /// The parsed `kubectl.kubernetes.io/last-applied-configuration` annotation (what the user
  /// applied), or null. Parsed at load so analyzers need no JSON parser.
  Value last_applied;
  /// The distinct {apiVersion, manager, operation} of metadata.managedFields (the readers keep
  /// only these three fields of each entry, deduplicated), or null: which clients write the
  /// object, at which API version.
  Value managed_fields;
  /// The kind when the object itself has none: items of a typed List
  /// (`CustomResourceDefinitionList` items as client-go serialises them) take it from the List's
  /// kind.
  std::string_view kind;
  /// Identity and newest timestamp, when the loader read them (add_objects does).
  ObjectHead head;
};

/// A container log. Only the tail is kept (see kLogTailBytes): diagnosis reads the last lines.
struct ContainerLog {
  std::string ns;
  std::string pod;
  std::string container;  ///< empty when the layout does not say (cluster-info dump's logs.txt)
  bool previous = false;  ///< the log of the last terminated run
  std::string file;       ///< path as given, for evidence
  std::uint32_t first_line = 1;  ///< line number in `file` of the first line kept in `text`
  std::string text;
};

/// A node-level log (kubelet, docker, containerd, ...), kept for the log analyzers.
struct NodeLog {
  std::string node;
  std::string component;  ///< "kubelet", "docker", "containerd", or the file's stem
  std::string file;
  std::uint32_t first_line = 1;  ///< line number in `file` of the first line kept in `text`
  std::string text;              ///< the last 4 * kLogTailBytes of the file
};

/// Bytes of a container log kept from its end. 256 KiB holds the last few thousand lines, far
/// more than a crash needs, while 150,000 pods' logs cannot exhaust memory.
inline constexpr std::size_t kLogTailBytes = 256 * 1024;

/// A YAML mapping key written twice in one object: the earlier value was lost (the API server
/// keeps the last one unless strict field validation is on). `object` is empty when the key is
/// outside any object.
struct DuplicateKey {
  ObjectRef object;
  std::string key;
  std::uint32_t file = 0;  ///< index into Inputs::files
  SourcePos first, again;
};

/// One answer of the Alibaba Cloud CLI (`aliyun <product> <Action> ...`), read from a snapshot's
/// `cloud/` folder (named `<product>-<Action>[-<id>].json`) or recognised by its content. The
/// typed views in src/cloud read `root`; nothing else of it is checked at load.
struct CloudDocument {
  std::string file;     ///< path as given, for evidence ("snap/cloud/ecs-DescribeInstances.json")
  std::string product;  ///< lower case: "ecs", "vpc", "cs", "ram", "cr", ...
  std::string action;   ///< the API action as the CLI spells it: "DescribeSecurityGroupAttribute"
  std::string id;       ///< the file name's suffix ("sg-bp1..."), or the id the content names; ""
  Value root;           ///< the parsed answer, in one of Inputs::arenas
};

/// A cloud answer the snapshot holds but could not use: the file could not be read or parsed,
/// held an API error instead of data, or has a shape that leaves the whole answer unread (a
/// security group's Permissions that are no array). Any file the loader takes for a cloud answer
/// counts: by name (in a `cloud/` folder, or of a known product such as ecs) or by content. The
/// loader records it where it knows the call (load/cloud_files.h), so that a verdict it leaves
/// unknown names the file and its error instead of saying "add the file".
struct UnreadableCloudAnswer {
  std::string file;     ///< path as given
  std::string product;  ///< lower case: "ecs"
  std::string action;   ///< "DescribeSecurityGroupAttribute"
  std::string id;       ///< from the file name ("sg-bp1..."), or the content's; "" when none
  SourcePos pos;        ///< of the error; line 0 for the whole file
  std::string error;    ///< the loader's message
  /// The Code of an API error saved instead of data ("Forbidden.RAM"), else "".
  std::string api_error;

  /// "snap/cloud/ecs-...json:49:1 (unexpected end of JSON (truncated file?))"
  std::string text() const { return SourceLocation{file, pos}.to_string() + " (" + error + ")"; }

  /// What to do about it, as the start of a fix: a permission error names the RAM action to
  /// grant (Alibaba Cloud RAM policies name API actions as "ecs:DescribeInstances"); anything
  /// else is repaired or collected again.
  std::string repair() const {
    if (api_error.starts_with("Forbidden") || api_error.starts_with("NoPermission")) {
      return "Grant " + product + ":" + action +
             " (a RAM policy Action) to the RAM user or role that collects (the saved answer " +
             file + " is " + api_error +
             ", not data), then collect again (ktriage collect --cloud, docs/cloud.md)";
    }
    return "Repair or collect again " + file + " (ktriage collect --cloud, docs/cloud.md)";
  }
};

/// Everything read from one run's sources.
struct Inputs {
  std::vector<std::unique_ptr<Arena>> arenas;
  std::vector<std::string> files;  ///< files that yielded objects, by index
  std::vector<RawObject> objects;
  std::vector<ContainerLog> logs;
  std::vector<NodeLog> node_logs;
  std::optional<std::string> server_version;  ///< "v1.30.4"
  std::vector<InputIssue> issues;             ///< errors and skipped files, in reading order
  std::vector<DuplicateKey> duplicate_keys;   ///< YAML keys written twice (also in `issues`)
  std::vector<HelmRelease> helm_releases;     ///< decoded Helm v3 release Secrets, every revision
  std::vector<PullSecretRegistries> pull_secrets;  ///< registries of image pull Secrets
  std::vector<CloudDocument> cloud;                ///< Alibaba Cloud CLI answers, in reading order
  std::vector<UnreadableCloudAnswer> unreadable_cloud;  ///< cloud answers not used, in order
  std::size_t files_read = 0;                           ///< files that contributed anything
  /// Set before loading to keep each object file's text in `sources` (lint re-reads it to point
  /// at the offending node; diagnose does not pay for the copy).
  bool keep_sources = false;
  /// Whether a second copy of an object (same API group, kind, namespace and name) is left out
  /// of the Cluster's indexes (a snapshot read twice). Manifests (lint) keep every copy: two
  /// overlays may define the same Deployment, and each is checked.
  bool merge_repeats = true;
  std::vector<std::string> sources;  ///< by file index, when keep_sources; "" for other files
  std::size_t bytes_read = 0;

  std::uint32_t add_file(std::string name) {
    files.push_back(std::move(name));
    return static_cast<std::uint32_t>(files.size() - 1);
  }
};

}  // namespace ktriage
