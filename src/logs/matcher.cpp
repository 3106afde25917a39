#include "logs/matcher.h"

#include <fmt/format.h>
#include <hs/hs.h>
#include <re2/re2.h>

#include <algorithm>
#include <cstring>

namespace ktriage::logs {

struct Matcher::Impl {
  // Every pattern Vectorscan accepts, reporting every match (a block holds many messages) with
  // ^ and $ at each line (HS_FLAG_MULTILINE: each message starts a line). For prefilter(), and
  // for match() on a message without "\n", where it means what a one-message database means.
  hs_database_t* block_db = nullptr;
  // The same patterns for a message with "\n" in it (decoded from JSON), where ^ and $ mean the
  // message's ends only: compiled when the first one comes, since most logs have none and
  // compiling is most of the start-up.
  hs_database_t* line_db = nullptr;
  bool line_db_failed = false;
  hs_scratch_t* scratch = nullptr;  // sized for both databases
  std::vector<std::string> hs_patterns;
  std::vector<std::uint32_t> hs_ids;  // database expression id -> signature index
  std::vector<std::pair<std::uint32_t, std::unique_ptr<RE2>>> re2;
  // RE2 of every pattern on Vectorscan, used only if line_db cannot be built.
  std::vector<std::pair<std::uint32_t, std::unique_ptr<RE2>>> re2_spare;
  ~Impl() {
    if (scratch != nullptr) hs_free_scratch(scratch);
    if (line_db != nullptr) hs_free_database(line_db);
    if (block_db != nullptr) hs_free_database(block_db);
  }
  hs_database_t* message_db();
};

namespace {

std::string where(const Signature& s) {
  return fmt::format("{}: signature {}", s.where.to_string(), s.id);
}

int on_match(unsigned int id, unsigned long long, unsigned long long, unsigned int, void* ctx) {
  static_cast<std::vector<std::uint32_t>*>(ctx)->push_back(id);
  return 0;
}

// prefilter()'s state: the message the last match fell in, [lo, hi) of the block, so the many
// matches in one message (in end order) cost a compare each.
struct BlockMatches {
  std::span<const std::uint32_t> starts;
  std::size_t block_size = 0;
  std::vector<char>* maybe = nullptr;
  std::uint64_t lo = 1, hi = 0;
};

int on_block_match(unsigned int, unsigned long long, unsigned long long to, unsigned int,
                   void* ctx) {
  auto& b = *static_cast<BlockMatches*>(ctx);
  const std::uint64_t last = to - 1;  // the match's last byte; patterns never match ""
  if (last >= b.lo && last < b.hi) return 0;
  auto it = std::upper_bound(b.starts.begin(), b.starts.end(), last);
  const auto i = static_cast<std::size_t>(it - b.starts.begin()) - 1;
  (*b.maybe)[i] = 1;
  b.lo = b.starts[i];
  b.hi = i + 1 < b.starts.size() ? b.starts[i + 1] : b.block_size;
  return 0;
}

}  // namespace

Matcher::Matcher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Matcher::Matcher(Matcher&&) noexcept = default;
Matcher& Matcher::operator=(Matcher&&) noexcept = default;
Matcher::~Matcher() = default;

std::size_t Matcher::fallback_count() const noexcept { return impl_->re2.size(); }

Expected<Matcher> Matcher::compile(std::span<const Signature> signatures) {
  std::vector<std::unique_ptr<RE2>> res;
  for (const Signature& s : signatures) {
    RE2::Options options;
    options.set_log_errors(false);
    // Same grammar check on both engines, so a pattern behaves the same wherever it runs.
    auto re = std::make_unique<RE2>(s.pattern, options);
    if (!re->ok())
      return Unexpected{fmt::format("{}: pattern '{}': {}", where(s), s.pattern, re->error())};
    if (RE2::PartialMatch("", *re))
      return Unexpected{fmt::format("{}: pattern '{}' matches the empty string (every line)",
                                    where(s), s.pattern)};
    res.push_back(std::move(re));
  }
  auto impl = std::make_unique<Impl>();
  std::vector<std::string> notes;
  // All patterns in one compile; one Vectorscan rejects is named by the error, moved to RE2, and
  // the rest compiled again (one compile instead of one per pattern: start-up is most of a
  // small scan).
  std::vector<std::uint32_t> on_hs(signatures.size());
  for (std::uint32_t i = 0; i < on_hs.size(); ++i) on_hs[i] = i;
  std::vector<const char*> exprs;
  std::vector<unsigned> flags, ids;
  while (!on_hs.empty()) {
    exprs.clear();
    ids.clear();
    for (std::uint32_t i : on_hs) {
      ids.push_back(static_cast<unsigned>(exprs.size()));
      exprs.push_back(signatures[i].pattern.c_str());
    }
    flags.assign(exprs.size(), HS_FLAG_MULTILINE);
    hs_compile_error_t* err = nullptr;
    hs_error_t rc = hs_compile_multi(exprs.data(), flags.data(), ids.data(),
                                     static_cast<unsigned>(exprs.size()), HS_MODE_BLOCK, nullptr,
                                     &impl->block_db, &err);
    std::string why = err != nullptr && err->message != nullptr ? err->message : "failed";
    const int bad = err != nullptr ? err->expression : -1;
    if (err != nullptr) hs_free_compile_error(err);
    if (rc == HS_SUCCESS) break;
    impl->block_db = nullptr;
    if (bad < 0 || static_cast<std::size_t>(bad) >= on_hs.size())
      return Unexpected{fmt::format("Vectorscan could not build the signature database: {}", why)};
    const std::uint32_t i = on_hs[static_cast<std::size_t>(bad)];
    notes.push_back(fmt::format("{}: Vectorscan: {}; matched with RE2", where(signatures[i]), why));
    impl->re2.emplace_back(i, std::move(res[i]));
    on_hs.erase(on_hs.begin() + bad);
  }
  impl->hs_ids = on_hs;
  for (std::uint32_t i : on_hs) {
    impl->hs_patterns.push_back(signatures[i].pattern);
    impl->re2_spare.emplace_back(i, std::move(res[i]));
  }
  if (impl->block_db != nullptr && hs_alloc_scratch(impl->block_db, &impl->scratch) != HS_SUCCESS)
    return Unexpected{std::string("Vectorscan could not allocate scratch space")};
  Matcher m(std::move(impl));
  m.notes_ = std::move(notes);
  return m;
}

hs_database_t* Matcher::Impl::message_db() {
  if (line_db != nullptr || line_db_failed) return line_db;
  std::vector<const char*> exprs;
  std::vector<unsigned> ids;
  for (const std::string& p : hs_patterns) {
    ids.push_back(static_cast<unsigned>(exprs.size()));
    exprs.push_back(p.c_str());
  }
  std::vector<unsigned> flags(exprs.size(), HS_FLAG_SINGLEMATCH);
  hs_compile_error_t* err = nullptr;
  if (hs_compile_multi(exprs.data(), flags.data(), ids.data(), static_cast<unsigned>(exprs.size()),
                       HS_MODE_BLOCK, nullptr, &line_db, &err) != HS_SUCCESS ||
      hs_alloc_scratch(line_db, &scratch) != HS_SUCCESS) {
    if (line_db != nullptr) hs_free_database(line_db);
    line_db = nullptr;
    line_db_failed = true;  // the same patterns compiled once; RE2 serves instead
  }
  if (err != nullptr) hs_free_compile_error(err);
  return line_db;
}

void Matcher::match(std::string_view message, std::vector<std::uint32_t>& out) {
  out.clear();
  Impl& m = *impl_;
  const auto text = re2::StringPiece(message.data(), message.size());
  if (m.block_db != nullptr && !message.empty()) {
    hs_database_t* db = m.block_db;
    if (std::memchr(message.data(), '\n', message.size()) != nullptr) db = m.message_db();
    if (db != nullptr) {
      hs_scan(db, message.data(), static_cast<unsigned>(message.size()), 0, m.scratch, on_match,
              &out);
      for (std::uint32_t& id : out) id = m.hs_ids[id];
    } else {
      for (const auto& [index, re] : m.re2_spare) {
        if (RE2::PartialMatch(text, *re)) out.push_back(index);
      }
    }
  }
  for (const auto& [index, re] : m.re2) {
    if (RE2::PartialMatch(text, *re)) out.push_back(index);
  }
  // block_db reports every match, so a signature may come more than once.
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
}

void Matcher::prefilter(std::string_view block, std::span<const std::uint32_t> starts,
                        std::vector<char>& maybe) {
  // RE2 patterns have no block scan: every message is a candidate then.
  const bool all = !impl_->re2.empty();
  maybe.assign(starts.size(), all ? 1 : 0);
  if (all || impl_->block_db == nullptr || block.empty() || starts.empty()) return;
  BlockMatches b{starts, block.size(), &maybe};
  hs_scan(impl_->block_db, block.data(), static_cast<unsigned>(block.size()), 0, impl_->scratch,
          on_block_match, &b);
}

}  // namespace ktriage::logs
