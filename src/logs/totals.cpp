#include "logs/totals.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace ktriage::logs {
namespace {

// Unknown times sort after every known one.
std::pair<bool, UnixSeconds> time_key(const std::optional<UnixSeconds>& t) {
  return {!t.has_value(), t.value_or(0)};
}

}  // namespace

std::vector<SignatureTotal> totals(const LogScan& scan, std::span<const Signature> signatures) {
  std::map<std::uint32_t, SignatureTotal> by_sig;
  for (const auto& [key, hit] : scan.hits) {  // (signature, file) order: files in input order
    SignatureTotal& t = by_sig[hit.signature];
    t.signature = hit.signature;
    t.count += hit.count;
    if (hit.first && (!t.first || *hit.first < *t.first)) t.first = hit.first;
    if (hit.last && (!t.last || *hit.last > *t.last)) t.last = hit.last;
    t.files.emplace_back(hit.file, hit.count);
    if (!hit.samples.empty() &&
        (t.earliest.line == 0 || time_key(hit.samples.front().time) < time_key(t.earliest.time)))
      t.earliest = hit.samples.front();
    for (const Sample& s : hit.samples) {
      if (t.samples.size() < kSamplesKept) t.samples.push_back(s);
    }
  }
  std::vector<SignatureTotal> out;
  for (auto& [sig, t] : by_sig) out.push_back(std::move(t));
  std::sort(out.begin(), out.end(), [&](const SignatureTotal& a, const SignatureTotal& b) {
    const Signature& sa = signatures[a.signature];
    const Signature& sb = signatures[b.signature];
    return std::tuple(-static_cast<int>(sa.severity), time_key(a.first), sa.id) <
           std::tuple(-static_cast<int>(sb.severity), time_key(b.first), sb.id);
  });
  return out;
}

std::vector<std::pair<const SignatureTotal*, const Sample*>> timeline(
    std::span<const SignatureTotal> totals, std::span<const Signature> signatures) {
  std::vector<std::pair<const SignatureTotal*, const Sample*>> out;
  for (const SignatureTotal& t : totals) {
    if (t.earliest.line > 0) out.emplace_back(&t, &t.earliest);
  }
  std::sort(out.begin(), out.end(), [&](const auto& a, const auto& b) {
    return std::tuple(time_key(a.second->time), signatures[a.first->signature].id) <
           std::tuple(time_key(b.second->time), signatures[b.first->signature].id);
  });
  return out;
}

bool any_at_or_above(std::span<const SignatureTotal> totals, std::span<const Signature> signatures,
                     Severity threshold) {
  for (const SignatureTotal& t : totals) {
    if (signatures[t.signature].severity >= threshold) return true;
  }
  return false;
}

}  // namespace ktriage::logs
