#include "logs/matcher.h"

#include <fmt/format.h>
#include <hs/hs.h>
#include <re2/re2.h>

#include <algorithm>

namespace ktriage::logs {

struct Matcher::Impl {
  hs_database_t* db = nullptr;
  hs_scratch_t* scratch = nullptr;
  std::vector<std::uint32_t> hs_ids;  // database expression id -> signature index
  std::vector<std::pair<std::uint32_t, std::unique_ptr<RE2>>> re2;
  ~Impl() {
    if (scratch != nullptr) hs_free_scratch(scratch);
    if (db != nullptr) hs_free_database(db);
  }
};

namespace {

std::string where(const Signature& s) {
  return fmt::format("{}: signature {}", s.where.to_string(), s.id);
}

// One pattern alone: "" when Vectorscan accepts it, else its reason.
std::string vectorscan_rejects(const std::string& pattern) {
  hs_database_t* db = nullptr;
  hs_compile_error_t* err = nullptr;
  std::string why;
  if (hs_compile(pattern.c_str(), HS_FLAG_SINGLEMATCH, HS_MODE_BLOCK, nullptr, &db, &err) !=
      HS_SUCCESS) {
    why = err != nullptr && err->message != nullptr ? err->message : "rejected";
  }
  if (err != nullptr) hs_free_compile_error(err);
  if (db != nullptr) hs_free_database(db);
  return why;
}

int on_match(unsigned int id, unsigned long long, unsigned long long, unsigned int, void* ctx) {
  static_cast<std::vector<std::uint32_t>*>(ctx)->push_back(id);
  return 0;
}

}  // namespace

Matcher::Matcher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Matcher::Matcher(Matcher&&) noexcept = default;
Matcher& Matcher::operator=(Matcher&&) noexcept = default;
Matcher::~Matcher() = default;

std::size_t Matcher::fallback_count() const noexcept { return impl_->re2.size(); }

Expected<Matcher> Matcher::compile(std::span<const Signature> signatures) {
  auto impl = std::make_unique<Impl>();
  std::vector<std::string> notes;
  std::vector<const char*> exprs;
  std::vector<unsigned> flags, ids;
  for (std::uint32_t i = 0; i < signatures.size(); ++i) {
    const Signature& s = signatures[i];
    RE2::Options options;
    options.set_log_errors(false);
    // Same grammar check on both engines, so a pattern behaves the same wherever it runs.
    auto re = std::make_unique<RE2>(s.pattern, options);
    if (!re->ok())
      return Unexpected{fmt::format("{}: pattern '{}': {}", where(s), s.pattern, re->error())};
    if (RE2::PartialMatch("", *re))
      return Unexpected{fmt::format("{}: pattern '{}' matches the empty string (every line)",
                                    where(s), s.pattern)};
    std::string why = vectorscan_rejects(s.pattern);
    if (!why.empty()) {
      notes.push_back(fmt::format("{}: Vectorscan: {}; matched with RE2", where(s), why));
      impl->re2.emplace_back(i, std::move(re));
      continue;
    }
    exprs.push_back(s.pattern.c_str());
    flags.push_back(HS_FLAG_SINGLEMATCH);
    ids.push_back(static_cast<unsigned>(impl->hs_ids.size()));
    impl->hs_ids.push_back(i);
  }
  if (!exprs.empty()) {
    hs_compile_error_t* err = nullptr;
    if (hs_compile_multi(exprs.data(), flags.data(), ids.data(),
                         static_cast<unsigned>(exprs.size()), HS_MODE_BLOCK, nullptr, &impl->db,
                         &err) != HS_SUCCESS) {
      std::string why = err != nullptr && err->message != nullptr ? err->message : "failed";
      if (err != nullptr) hs_free_compile_error(err);
      return Unexpected{fmt::format("Vectorscan could not build the signature database: {}", why)};
    }
    if (hs_alloc_scratch(impl->db, &impl->scratch) != HS_SUCCESS)
      return Unexpected{std::string("Vectorscan could not allocate scratch space")};
  }
  Matcher m(std::move(impl));
  m.notes_ = std::move(notes);
  return m;
}

void Matcher::match(std::string_view message, std::vector<std::uint32_t>& out) {
  out.clear();
  if (impl_->db != nullptr && !message.empty()) {
    hs_scan(impl_->db, message.data(), static_cast<unsigned>(message.size()), 0, impl_->scratch,
            on_match, &out);
    for (std::uint32_t& id : out) id = impl_->hs_ids[id];
  }
  for (const auto& [index, re] : impl_->re2) {
    if (RE2::PartialMatch(re2::StringPiece(message.data(), message.size()), *re))
      out.push_back(index);
  }
  std::sort(out.begin(), out.end());
}

}  // namespace ktriage::logs
