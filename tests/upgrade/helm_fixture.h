// Helm v3 release Secrets built in memory as Helm writes them: the release JSON gzipped, base64
// encoded by Helm and once more by Kubernetes into data.release.
#pragma once

#include <fmt/format.h>

#include <string>

#include "core/base64.h"
#include "logs/gzip_fixture.h"

namespace ktriage::testing {

/// The value Helm stores in data.release for a release JSON.
inline std::string helm_release_value(const std::string& release_json) {
  return base64_encode(base64_encode(logs::testing::gzip(release_json)));
}

/// A release JSON with `manifest` (escaped here) and a chart value that must never surface.
inline std::string helm_release_json(const std::string& name, int revision,
                                     const std::string& status, const std::string& manifest) {
  std::string escaped;
  for (char c : manifest) {
    if (c == '\n') {
      escaped += "\\n";
    } else if (c == '"') {
      escaped += "\\\"";
    } else {
      escaped.push_back(c);
    }
  }
  return fmt::format(
      "{{\"name\":\"{}\",\"namespace\":\"shop\",\"version\":{},\"info\":{{\"status\":\"{}\"}},"
      "\"chart\":{{\"metadata\":{{\"name\":\"web\",\"version\":\"1.2.3\"}}}},"
      "\"config\":{{\"dbPassword\":\"hunter2-CHART-VALUE\"}},\"manifest\":\"{}\"}}",
      name, revision, status, escaped);
}

/// The record Secret as `kubectl get secret -o yaml` prints it, with `value` as data.release.
inline std::string helm_release_secret(const std::string& name, int revision,
                                       const std::string& status, const std::string& value) {
  return fmt::format(
      "---\napiVersion: v1\nkind: Secret\ntype: helm.sh/release.v1\nmetadata:\n"
      "  name: sh.helm.release.v1.{0}.v{1}\n  namespace: shop\n"
      "  labels: {{name: {0}, owner: helm, status: {2}, version: \"{1}\"}}\n"
      "data:\n  release: {3}\n",
      name, revision, status, value);
}

/// A manifest as `helm template` renders it: an Ingress and a PodSecurityPolicy at removed
/// versions, a current Service, and a Secret whose data must never surface.
inline const std::string kOldManifest =
    "---\n# Source: web/templates/service.yaml\napiVersion: v1\nkind: Service\nmetadata:\n"
    "  name: web\nspec:\n  ports:\n  - port: 80\n"
    "---\n# Source: web/templates/secret.yaml\napiVersion: v1\nkind: Secret\nmetadata:\n"
    "  name: web-db\ndata:\n  password: aHVudGVyMi1NQU5JRkVTVA==\n"
    "---\n# Source: web/templates/ingress.yaml\napiVersion: extensions/v1beta1\nkind: Ingress\n"
    "metadata:\n  name: web\nspec:\n  backend:\n    serviceName: web\n    servicePort: 80\n"
    "---\n# Source: web/templates/psp.yaml\napiVersion: policy/v1beta1\n"
    "kind: PodSecurityPolicy\nmetadata:\n  name: web\nspec:\n  privileged: false\n";

/// The same chart after a fix: current versions only.
inline const std::string kNewManifest =
    "---\n# Source: web/templates/ingress.yaml\napiVersion: networking.k8s.io/v1\nkind: Ingress\n"
    "metadata:\n  name: web\nspec:\n  defaultBackend:\n    service:\n      name: web\n"
    "      port: {number: 80}\n";

}  // namespace ktriage::testing
