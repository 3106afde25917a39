// Helm v3 release records: a Secret of type helm.sh/release.v1 (named
// sh.helm.release.v1.<release>.v<revision>) whose data.release is base64 of base64 of the gzip of
// the release JSON. Decoded by the loader before the Secret's values are zeroed; only each
// rendered document's apiVersion, kind, name and namespace leave this file, never values, chart
// files or the rendered text.
#pragma once

#include <string>

#include "core/expected.h"
#include "core/value.h"
#include "model/helm_release.h"

namespace ktriage {

/// True for a Helm v3 release record: a Secret object whose `type` is helm.sh/release.v1. O(1).
bool is_helm_release_secret(const Value& secret);

/// The release in `secret` (see is_helm_release_secret): name, namespace, revision and status
/// from the release JSON (the Secret's labels name/version/status when it lacks them), and the
/// identity of each document of its manifest with the chart template it came from. `secret`,
/// `file` and `pos` are left for the caller. The error (for an InputIssue) says which layer
/// failed: no data.release, not base64, not gzip, larger than 64 MiB decompressed, not JSON;
/// it never quotes the Secret's content. Buffers holding decoded content are zeroed before
/// they are freed. O(size of the release, decompressed).
Expected<HelmRelease, std::string> decode_helm_release(const Value& secret);

}  // namespace ktriage
