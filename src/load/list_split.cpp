#include "load/list_split.h"

#include <cstring>

namespace ktriage {

std::optional<SplitList> split_kubectl_list(std::string_view data, std::size_t min_bytes) {
  if (data.size() < min_bytes || data.empty() || data.front() != '{') return std::nullopt;
  constexpr std::string_view kItems = "\n    \"items\": [\n";
  constexpr std::string_view kOpen = "\n        {\n";
  constexpr std::string_view kClose = "\n        }";
  const std::size_t items_at = data.find(kItems);
  if (items_at == std::string_view::npos) return std::nullopt;

  SplitList out;
  // The List's kind is a top-level key at four spaces (after "items" in kubectl's key order).
  constexpr std::string_view kKind = "\n    \"kind\": \"";
  if (const std::size_t k = data.rfind(kKind); k != std::string_view::npos) {
    const std::size_t start = k + kKind.size();
    const std::size_t end = data.find('"', start);
    if (end == std::string_view::npos) return std::nullopt;
    out.kind = data.substr(start, end - start);
  }

  std::size_t pos = items_at + kItems.size() - 1;  // at the '\n' before the first item
  while (true) {
    if (data.compare(pos, kOpen.size(), kOpen) != 0) break;
    const std::size_t begin = pos + kOpen.size() - 2;  // the '{'
    const std::size_t close = data.find(kClose, begin);
    if (close == std::string_view::npos) return std::nullopt;
    const std::size_t end = close + kClose.size();  // one past the '}'
    if (end >= data.size()) return std::nullopt;
    out.items.push_back(ListItem{begin, end - begin});
    if (data[end] == ',') {
      pos = end + 1;  // at the '\n' before the next item
      continue;
    }
    if (data[end] != '\n') return std::nullopt;
    pos = end;
    break;
  }
  // After the last item the array must close at four spaces: "\n    ]".
  if (data.compare(pos, 6, "\n    ]") != 0) return std::nullopt;
  if (out.items.empty()) return std::nullopt;
  return out;
}

}  // namespace ktriage
