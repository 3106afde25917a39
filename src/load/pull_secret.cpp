#include "load/pull_secret.h"

#include <algorithm>

#include "core/ascii.h"
#include "core/base64.h"
#include "load/document.h"

namespace ktriage {
namespace {

void wipe(std::string& s) { std::fill(s.begin(), s.end(), '\0'); }

// Zeroes every string value under `v`. The scratch arena is this file's alone, so its interned
// strings have no other reader.
void wipe_strings(const Value& v) {
  if (v.is_string() && !v.str().empty()) {
    std::fill_n(const_cast<char*>(v.str().data()), v.str().size(), '\0');
  }
  for (const Value& item : v.items()) wipe_strings(item);
  for (const Member& m : v.members()) wipe_strings(m.value);
}

}  // namespace

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
  // The parser reads up to kJsonPadding bytes past the text. Growing `text` in place could move
  // it and free the old copy unwiped, so the padded copy gets all its room first.
  std::string padded;
  padded.reserve(size + kJsonPadding);
  padded.assign(*text);
  padded.resize(size + kJsonPadding, '\0');
  wipe(*text);
  Arena scratch;
  bool parsed = false;
  (void)read_json(std::string_view(padded.data(), size), scratch,
                  [&](const ParsedDocument& doc, const Locator&) {
                    parsed = doc.root.is_object();
                    const Value& auths = json ? doc.root["auths"] : doc.root;
                    for (const Member& m : auths.members())
                      out.registries.push_back(registry_host_of_key(m.key));
                    // The tree's copies of the credentials, before the arena is freed.
                    wipe_strings(doc.root);
                  });
  // The decoded credentials are zeroed where this code holds them: the decoded text, its padded
  // copy and the parsed tree. (simdjson's own string buffer is freed by the reader unwiped.)
  wipe(padded);
  if (!parsed) return std::nullopt;
  return out;
}

}  // namespace ktriage
