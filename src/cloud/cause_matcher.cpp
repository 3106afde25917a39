#include "cloud/cause_matcher.h"

#include <re2/re2.h>

namespace ktriage::cloud {

CauseMatcher::CauseMatcher(std::span<const CauseRow> rows) : rows_(rows) {
  compiled_.reserve(rows.size());
  for (const CauseRow& row : rows) {
    RE2::Options options;
    options.set_log_errors(false);
    // One group around the whole pattern, so the matched text is at hand for evidence.
    std::string grouped;
    grouped.reserve(row.pattern.size() + 2);
    grouped.append("(").append(row.pattern).append(")");
    auto re = std::make_unique<RE2>(grouped, options);
    if (!re->ok()) {
      bad_.emplace_back(row.catalog);
      re.reset();
    }
    compiled_.push_back(std::move(re));
  }
}

CauseMatcher::~CauseMatcher() = default;

std::optional<CauseHit> CauseMatcher::match(std::string_view text) const {
  for (std::size_t i = 0; i < rows_.size(); ++i) {
    if (!compiled_[i]) continue;
    re2::StringPiece hit;
    if (RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *compiled_[i], &hit)) {
      return CauseHit{&rows_[i], std::string(hit.data(), hit.size())};
    }
  }
  return std::nullopt;
}

}  // namespace ktriage::cloud
