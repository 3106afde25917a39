// What upgrade-check needs from a Helm v3 release record (a Secret of type helm.sh/release.v1):
// the release's identity and, per rendered document of its manifest, only apiVersion, kind, name
// and namespace. Built by the loader (load/helm_release.h) before the Secret's values are zeroed;
// holds no other Secret content (no values, no chart files, no rendered data).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/object_ref.h"
#include "core/source_location.h"

namespace ktriage {

/// One document of a release's rendered manifest, reduced to its identity.
struct HelmManifestObject {
  std::string api_version;
  std::string kind;
  std::string name;
  std::string ns;  ///< as rendered; "" when the chart leaves it to the release namespace
  std::string
      template_path;  ///< the chart template it came from ("# Source: web/templates/x.yaml")
};

/// One revision of one Helm release, as its record Secret stores it.
struct HelmRelease {
  ObjectRef secret;        ///< the record: Secret sh.helm.release.v1.<name>.v<revision>
  std::uint32_t file = 0;  ///< index into Inputs::files of the Secret
  SourcePos pos;           ///< where the Secret starts in that file
  std::string name;        ///< the release name
  std::string ns;          ///< the release namespace
  int revision = 0;
  std::string status;  ///< "deployed", "superseded", "failed", "pending-upgrade", ...
  std::string chart;   ///< "web-1.2.3" when the record says, else ""
  std::vector<HelmManifestObject> objects;
};

}  // namespace ktriage
