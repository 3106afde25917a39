// Practice: images are pinned to a tag other than `latest` (or a digest), and a mutable tag is
// pulled with imagePullPolicy Always. `latest` or no tag means each node runs whatever it pulled
// last, so pods of one Deployment can run different code and a rollback cannot go back. With
// such a tag, IfNotPresent or Never keeps a node's stale copy forever; Always (the API's default
// for `latest` and untagged images) at least fetches the current one.
#include <fmt/format.h>

#include <array>

#include "lint/checks.h"
#include "lint/practices.h"

namespace ktriage::lint {
namespace {

constexpr std::string_view kDoc = "https://kubernetes.io/docs/concepts/containers/images/";
constexpr std::array kRules{
    LintRule{"practice-image-tag-latest", "", Severity::kWarning,
             "An image without a tag or tagged `latest`",
             "Pin the image to a version tag or a digest", kDoc},
    LintRule{"practice-image-pull-policy-stale", "", Severity::kWarning,
             "A mutable image tag pulled with IfNotPresent or Never",
             "Pin the image, or pull it with imagePullPolicy: Always", kDoc},
};

// The tag of an image reference, "" when none: the part after the last ':' of the last path
// component (a ':' before a '/' is a registry port, "registry:5000/app").
std::string_view image_tag(std::string_view image) {
  const std::size_t slash = image.rfind('/');
  const std::size_t colon = image.rfind(':');
  if (colon == std::string_view::npos || (slash != std::string_view::npos && colon < slash)) {
    return {};
  }
  return image.substr(colon + 1);
}

// The image without its tag: "nginx" for "nginx:latest".
std::string_view repository(std::string_view image) {
  const std::string_view tag = image_tag(image);
  return tag.empty() ? image : image.substr(0, image.size() - tag.size() - 1);
}

// Whether the reference floats: no digest, and no tag or the tag `latest`.
bool mutable_reference(std::string_view image) {
  if (image.find('@') != std::string_view::npos) return false;
  const std::string_view tag = image_tag(image);
  return tag.empty() || tag == "latest";
}

void run(const LintContext& ctx, std::vector<Finding>& out) {
  for (const PodTemplate& t : pod_templates(ctx.cluster)) {
    for (const TemplateContainer& c : template_containers(t)) {
      const std::string_view image = (*c.spec)["image"].str();
      if (image.empty() || !mutable_reference(image)) continue;
      const std::string who =
          fmt::format("{} {} container `{}`", t.owner->kind, t.owner->name, c.name);
      add_practice_finding(out, kRules[0], t,
                           fmt::format("{} runs `{}`, which names no fixed version", who, image),
                           c.name, c.path + ".image", std::string(image),
                           fmt::format("Set {}.image to a release tag (`{}:1.2.3`) or a digest "
                                       "(`{}@sha256:...`), and change it to roll out",
                                       c.path, repository(image), repository(image)));
      const std::string_view policy = (*c.spec)["imagePullPolicy"].str();
      if (policy == "IfNotPresent" || policy == "Never") {
        add_practice_finding(
            out, kRules[1], t,
            fmt::format("{} pulls the mutable image `{}` with imagePullPolicy {}: a node keeps "
                        "whatever copy it pulled first",
                        who, image, policy),
            c.name, c.path + ".imagePullPolicy", std::string(policy),
            fmt::format("Pin {}.image to a version tag or digest; until then set "
                        "imagePullPolicy: Always",
                        c.path));
      }
    }
  }
}

}  // namespace

const LintCheck kPracticesImagesCheck{"practices-images", kRules, run};

}  // namespace ktriage::lint
