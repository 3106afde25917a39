#include "load/helm_release.h"

#include <fmt/format.h>
#include <zlib.h>

#include <charconv>
#include <cstring>
#include <utility>
#include <vector>

#include "core/base64.h"
#include "load/document.h"

namespace ktriage {
namespace {

// Helm keeps a release under 1 MiB (the Secret size limit), compressed; a record that inflates
// beyond this is not one, and must not exhaust memory (a gzip bomb).
constexpr std::size_t kMaxReleaseBytes = 64u << 20;

// Decoded release content may hold chart values (passwords): zeroed before the memory is reused.
void wipe(std::string& s) {
  if (!s.empty()) std::memset(s.data(), 0, s.size());
  s.clear();
}

// A string that wipes itself when it goes out of scope, on every return path.
struct WipedString {
  std::string text;
  ~WipedString() { wipe(text); }
};

Expected<std::string, std::string> gunzip(std::string_view in) {
  z_stream zs{};
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) return Unexpected(std::string("zlib failed"));
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  std::string out;
  int rc = Z_OK;
  while (rc == Z_OK) {
    if (out.size() >= kMaxReleaseBytes) {
      inflateEnd(&zs);
      wipe(out);
      return Unexpected(
          fmt::format("the release inflates beyond {} MiB; not read", kMaxReleaseBytes >> 20));
    }
    const std::size_t have = out.size();
    out.resize(have + std::min<std::size_t>(std::max<std::size_t>(in.size() * 4, 64u << 10),
                                            kMaxReleaseBytes - have));
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + have);
    zs.avail_out = static_cast<uInt>(out.size() - have);
    rc = inflate(&zs, Z_NO_FLUSH);
    out.resize(out.size() - zs.avail_out);
    if (rc == Z_BUF_ERROR && zs.avail_in > 0) rc = Z_OK;  // only the output was full
  }
  inflateEnd(&zs);
  if (rc != Z_STREAM_END) {
    wipe(out);
    return Unexpected(std::string("the release is not valid gzip (truncated or corrupt)"));
  }
  return out;
}

// 1-based lines of "# Source: <template>" comments, which `helm template` writes before each
// rendered document, so a finding can name the template to change.
std::vector<std::pair<std::uint32_t, std::string_view>> template_sources(std::string_view text) {
  std::vector<std::pair<std::uint32_t, std::string_view>> out;
  std::uint32_t line = 1;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t nl = text.find('\n', at);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view l = text.substr(at, nl - at);
    if (l.starts_with("# Source: ")) {
      l.remove_prefix(10);
      while (!l.empty() && (l.back() == '\r' || l.back() == ' ')) l.remove_suffix(1);
      out.emplace_back(line, l);
    }
    at = nl + 1;
    ++line;
  }
  return out;
}

void add_document(const Value& doc, std::string_view source, HelmRelease& out) {
  auto add = [&](const Value& obj) {
    if (!obj.is_object() || obj["kind"].str().empty()) return;
    const Value& meta = obj["metadata"];
    out.objects.push_back(
        HelmManifestObject{std::string(obj["apiVersion"].str()), std::string(obj["kind"].str()),
                           std::string(meta["name"].str()), std::string(meta["namespace"].str()),
                           std::string(source)});
  };
  if (doc["kind"].str().ends_with("List") && doc["items"].is_array()) {
    for (const Value& item : doc["items"].items()) add(item);
  } else {
    add(doc);
  }
}

int to_int(std::string_view s) {
  int v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

}  // namespace

bool is_helm_release_secret(const Value& secret) {
  return secret["kind"].str() == "Secret" && secret["type"].str() == "helm.sh/release.v1";
}

Expected<HelmRelease, std::string> decode_helm_release(const Value& secret) {
  const std::string_view stored = secret["data"]["release"].str();
  if (stored.empty()) return Unexpected(std::string("no data.release"));
  WipedString once, twice, json;
  if (auto b = base64_decode(stored)) {
    once.text = std::move(*b);
  } else {
    return Unexpected(std::string("data.release is not base64"));
  }
  // Kubernetes' own base64 of the Secret value, then Helm's.
  if (auto b = base64_decode(once.text)) {
    twice.text = std::move(*b);
  } else {
    return Unexpected(std::string("data.release is not base64 inside (Helm encodes it twice)"));
  }
  // Helm writes gzip; it also reads records written without it (its decodeRelease checks the
  // gzip magic), and so does this.
  if (twice.text.size() >= 2 && static_cast<unsigned char>(twice.text[0]) == 0x1f &&
      static_cast<unsigned char>(twice.text[1]) == 0x8b) {
    auto inflated = gunzip(twice.text);
    if (!inflated) return Unexpected(inflated.error());
    json.text = std::move(*inflated);
  } else {
    json.text = std::move(twice.text);
  }
  const std::size_t size = json.text.size();
  json.text.resize(size + kJsonPadding, '\0');
  Arena scratch;  // the release JSON (chart, values, manifest) lives only here
  HelmRelease release;
  std::string error;
  std::string_view manifest;
  auto errors = read_json(std::string_view(json.text.data(), size), scratch,
                          [&](const ParsedDocument& d, const Locator&) {
                            const Value& r = d.root;
                            if (!r.is_object()) return;
                            release.name = std::string(r["name"].str());
                            release.ns = std::string(r["namespace"].str());
                            release.revision = static_cast<int>(r["version"].as_int(0));
                            release.status = std::string(r["info"]["status"].str());
                            const Value& chart = r["chart"]["metadata"];
                            if (!chart["name"].str().empty())
                              release.chart =
                                  fmt::format("{}-{}", chart["name"].str(), chart["version"].str());
                            manifest = r["manifest"].str();
                          });
  if (!errors.empty()) return Unexpected(std::string("the release is not JSON"));
  const Value& labels = secret["metadata"]["labels"];
  if (release.name.empty()) release.name = std::string(labels["name"].str());
  if (release.ns.empty()) release.ns = std::string(secret["metadata"]["namespace"].str());
  if (release.revision == 0) release.revision = to_int(labels["version"].str());
  if (release.status.empty()) release.status = std::string(labels["status"].str());
  const auto sources = template_sources(manifest);
  (void)read_yaml("manifest", manifest, scratch, [&](const ParsedDocument& d, const Locator&) {
    std::string_view source;
    for (const auto& [line, path] : sources) {
      if (line <= d.root_pos.line) source = path;
    }
    add_document(d.root, source, release);
  });
  // A manifest with a syntax error keeps the documents before it: Helm itself applied them.
  return release;
}

}  // namespace ktriage
