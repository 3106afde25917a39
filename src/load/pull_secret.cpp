#include "load/pull_secret.h"

#include <algorithm>
#include <cctype>

#include "core/ascii.h"
#include "core/base64.h"
#include "load/document.h"

namespace ktriage {

std::string registry_host_of_key(std::string_view key) {
  if (const std::size_t scheme = key.find("://"); scheme != std::string_view::npos)
    key.remove_prefix(scheme + 3);
  key = key.substr(0, key.find('/'));
  return ascii_lower(key);
}

std::optional<PullSecretRegistries> pull_secret_registries(const Value& secret) {
  const std::string_view type = secret["type"].str();
  const bool json = type == "kubernetes.io/dockerconfigjson";
  if (!json && type != "kubernetes.io/dockercfg") return std::nullopt;
  const Value& meta = secret["metadata"];
  PullSecretRegistries out{
      std::string(meta["namespace"].str()), std::string(meta["name"].str()), {}};
  const std::string_view key = json ? ".dockerconfigjson" : ".dockercfg";
  std::optional<std::string> text;
  if (const Value& plain = secret["stringData"][key]; plain.is_string()) {
    text = std::string(plain.str());
  } else {
    text = base64_decode(secret["data"][key].str());
  }
  // No value (a live collection reads Secrets' metadata only, or the value was removed), or one
  // that does not decode: unknown, which is not "holds no registry".
  if (!text || text->empty()) return std::nullopt;
  const std::size_t size = text->size();
  text->resize(size + kJsonPadding, '\0');
  Arena scratch;
  bool parsed = false;
  (void)read_json(std::string_view(text->data(), size), scratch,
                  [&](const ParsedDocument& doc, const Locator&) {
                    parsed = doc.root.is_object();
                    const Value& auths = json ? doc.root["auths"] : doc.root;
                    for (const Member& m : auths.members())
                      out.registries.push_back(registry_host_of_key(m.key));
                  });
  // The decoded credentials go no further than this buffer: zeroed before it is freed.
  std::fill(text->begin(), text->end(), '\0');
  if (!parsed) return std::nullopt;
  return out;
}

}  // namespace ktriage
