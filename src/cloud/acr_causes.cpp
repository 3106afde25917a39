#include "cloud/acr_causes.h"

namespace ktriage::cloud {

namespace {

constexpr std::string_view kImageBuildFaq =
    "https://help.aliyun.com/en/yunxiao/user-guide/issues-in-image-building";
constexpr std::string_view kBuildRules = "https://www.alibabacloud.com/help/doc-detail/202197.htm";

// Patterns are the catalog entries' exact strings (fault-catalog.md section 3); the docker and
// buildkit wordings are marked general knowledge there, so they are matched loosely.
constexpr CauseRow kBuild[] = {
    {"ACR-BUILD-CONTEXT-OR-DOCKERFILE-PATH",
     R"(failed to read dockerfile|COPY failed: (stat|file not found in build context)|failed to compute cache key: .*not found)",
     "the build rule points at the wrong directory or Dockerfile, or a COPY source is outside the "
     "build context",
     "correct the build rule's Dockerfile directory and file name; keep copied files inside the "
     "context and out of .dockerignore",
     kBuildRules},
    {"ACR-BUILD-RUN-STEP-FAILED",
     R"(The command '.*' returned a non-zero code: \d+|process "/bin/sh -c .*" did not complete successfully: exit code: \d+)",
     "a RUN instruction of the Dockerfile exited non-zero",
     "read the lines above the failure; fix the command, use package mirrors in the build's "
     "region or overseas build machines, and reproduce with docker build",
     kImageBuildFaq},
    {"ACR-BUILD-BASE-IMAGE-PULL-FAILED",
     R"((?i:pull access denied|manifest unknown|toomanyrequests|i/o timeout|TLS handshake timeout))",
     "the base image of FROM could not be pulled (wrong name or tag, rate limit, or an overseas "
     "registry out of reach)",
     "mirror the base image into an ACR repository in the same region and use it in FROM, or "
     "enable overseas build machines for the build rule; correct the tag",
     kImageBuildFaq},
};

constexpr CauseRow kBinding[] = {
    {"ACR-BIND-GITLAB-UNREACHABLE", R"(The source code repository site is inaccessible)",
     "ACR cannot reach the self-managed GitLab to bind it",
     "make GitLab reachable from the Internet or configure the Enterprise Edition VPC link; add "
     "the region's ACR EE outbound build IPs to GitLab's allowlist; use a valid personal access "
     "token",
     "https://help.aliyun.com/en/acr/support/faq-about-source-code-repositories"},
};

}  // namespace

std::span<const CauseRow> acr_build_causes() { return kBuild; }
std::span<const CauseRow> acr_binding_causes() { return kBinding; }

}  // namespace ktriage::cloud
