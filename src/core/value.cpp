#include "core/value.h"

#include <sys/mman.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <new>
#include <type_traits>

namespace ktriage {

const Value& Value::null_value() noexcept {
  static const Value kNull;
  return kNull;
}

std::int64_t Value::as_int(std::int64_t fallback) const noexcept {
  switch (type_) {
    case Type::kInt:
      return int_;
    case Type::kDouble:
      // Outside int64 (1e300, a NaN from hand-written input) the cast is undefined: held at
      // the limits, NaN is no number.
      if (std::isnan(double_)) return fallback;
      if (double_ >= 9.2233720368547758e18) return std::numeric_limits<std::int64_t>::max();
      if (double_ <= -9.2233720368547758e18) return std::numeric_limits<std::int64_t>::min();
      return static_cast<std::int64_t>(double_);
    case Type::kString: {
      std::int64_t out = 0;
      auto [p, ec] = std::from_chars(str_, str_ + size_, out);
      return (ec == std::errc() && p == str_ + size_) ? out : fallback;
    }
    default:
      return fallback;
  }
}

namespace {

std::uint64_t load8(const char* p) noexcept {
  std::uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}

// The bytes of a string shorter than 8, in one word, from at most two fixed-size loads that
// stay inside the string (a variable-length memcpy is a library call per string).
std::uint64_t load_under8(const char* p, std::size_t n) noexcept {
  if (n >= 4) {
    std::uint32_t lo;
    std::uint32_t hi;
    std::memcpy(&lo, p, 4);
    std::memcpy(&hi, p + n - 4, 4);
    return (static_cast<std::uint64_t>(hi) << 32) | lo;
  }
  if (n == 0) return 0;
  return static_cast<std::uint64_t>(static_cast<unsigned char>(p[0])) |
         (static_cast<std::uint64_t>(static_cast<unsigned char>(p[n / 2])) << 8) |
         (static_cast<std::uint64_t>(static_cast<unsigned char>(p[n - 1])) << 16);
}

// Equality of two strings of the same length `n`, inline for short ones: memcmp was a library
// call per interned string and per key lookup, 6% of a large load.
bool equal_bytes(const char* a, const char* b, std::size_t n) noexcept {
  if (n > 64) return std::memcmp(a, b, n) == 0;
  if (n < 8) return load_under8(a, n) == load_under8(b, n);  // every byte is in the word
  for (std::size_t i = 0; i + 8 < n; i += 8) {
    if (load8(a + i) != load8(b + i)) return false;
  }
  return load8(a + n - 8) == load8(b + n - 8);
}

}  // namespace

const Value& Value::operator[](std::string_view key) const noexcept {
  if (type_ != Type::kObject) return null_value();
  // Size and first byte reject almost every other key before the bytes are compared.
  const std::size_t n = key.size();
  for (std::uint32_t i = 0; i < size_; ++i) {
    const std::string_view k = members_[i].key;
    if (k.size() == n && (n == 0 || (k[0] == key[0] && equal_bytes(k.data(), key.data(), n)))) {
      return members_[i].value;
    }
  }
  return null_value();
}

bool Value::contains(std::string_view key) const noexcept {
  for (const Member& m : members()) {
    if (m.key == key) return true;
  }
  return false;
}

std::string_view Value::type_name(Type t) noexcept {
  switch (t) {
    case Type::kNull:
      return "null";
    case Type::kBool:
      return "boolean";
    case Type::kInt:
    case Type::kDouble:
      return "number";
    case Type::kString:
      return "string";
    case Type::kArray:
      return "array";
    case Type::kObject:
      return "object";
  }
  return "unknown";
}

namespace {

// Blocks at least this large come from mmap with huge pages (the arena's growth reaches them
// after a few MiB); smaller ones from operator new, so that the many small arenas of a bundle
// of small files cost no more than their content.
constexpr std::size_t kHugeBlockBytes = 8u << 20;
constexpr std::size_t kHugePageBytes = 2u << 20;

// Strings longer than this are rarely repeated (messages, JSON blobs): copy them.
constexpr std::size_t kMaxInternedBytes = 48;

std::uint32_t hash_short(std::string_view s) noexcept {
  // FNV-1a over 8-byte words: keys are short, so this is a handful of multiplies. The last
  // word overlaps the one before it, so every load has a fixed size.
  std::uint64_t h = 0xcbf29ce484222325ULL ^ s.size();
  const char* p = s.data();
  const std::size_t n = s.size();
  if (n < 8) {
    h = (h ^ load_under8(p, n)) * 0x100000001b3ULL;
  } else {
    for (std::size_t i = 0; i + 8 < n; i += 8) h = (h ^ load8(p + i)) * 0x100000001b3ULL;
    h = (h ^ load8(p + n - 8)) * 0x100000001b3ULL;
  }
  return static_cast<std::uint32_t>(h ^ (h >> 32));
}

}  // namespace

ArenaUpstream* ArenaUpstream::instance() noexcept {
  static ArenaUpstream upstream;
  return &upstream;
}

void* ArenaUpstream::do_allocate(std::size_t bytes, std::size_t alignment) {
  if (bytes < kHugeBlockBytes) return ::operator new(bytes, std::align_val_t(alignment));
  const std::size_t span = (bytes + kHugePageBytes - 1) / kHugePageBytes * kHugePageBytes;
  void* p = ::mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  ::madvise(p, span, MADV_HUGEPAGE);  // advice only: without THP it still works, just slower
  return p;
}

void ArenaUpstream::do_deallocate(void* p, std::size_t bytes, std::size_t alignment) {
  if (bytes < kHugeBlockBytes) {
    ::operator delete(p, std::align_val_t(alignment));
    return;
  }
  ::munmap(p, (bytes + kHugePageBytes - 1) / kHugePageBytes * kHugePageBytes);
}

bool Arena::is_interned(std::string_view s) const noexcept {
  if (s.empty() || s.size() > kMaxInternedBytes) return false;
  if (interning_ended_) return true;  // the table is gone: any short string may be shared
  if (interned_capacity_ == 0) return false;
  const std::uint32_t h = hash_short(s);
  const std::size_t mask = interned_capacity_ - 1;
  for (std::size_t i = h & mask;; i = (i + 1) & mask) {
    const InternSlot& slot = interned_[i];
    if (slot.data == nullptr) return false;
    if (slot.data == s.data()) return true;
  }
}

void Arena::end_interning() noexcept {
  interned_.reset();
  interned_capacity_ = 0;
  interned_count_ = 0;
  shared_.reset();
  interning_ended_ = true;
}

std::string_view Arena::intern(std::string_view s) {
  if (s.empty()) return {};
  if (s.size() > kMaxInternedBytes || interning_ended_) return copy_prefixed(s);
  if (interned_count_ * 2 >= interned_capacity_) {
    if (interned_capacity_ >= Arena::kMaxInternSlots) {
      // Full: look up only, so the common vocabulary seen first is still shared.
      const std::uint32_t h = hash_short(s);
      const std::size_t mask = interned_capacity_ - 1;
      for (std::size_t i = h & mask;; i = (i + 1) & mask) {
        const InternSlot& slot = interned_[i];
        if (slot.data == nullptr) return copy_prefixed(s);
        if (slot.hash == h && slot.size == s.size() && equal_bytes(slot.data, s.data(), s.size())) {
          return {slot.data, slot.size};
        }
      }
    }
    grow_interned();
  }
  const std::uint32_t h = hash_short(s);
  const std::size_t mask = interned_capacity_ - 1;
  for (std::size_t i = h & mask;; i = (i + 1) & mask) {
    InternSlot& slot = interned_[i];
    if (slot.data == nullptr) {
      const std::string_view stored = copy_prefixed(s);
      slot = InternSlot{stored.data(), static_cast<std::uint32_t>(stored.size()), h};
      ++interned_count_;
      return stored;
    }
    if (slot.hash == h && slot.size == s.size() && equal_bytes(slot.data, s.data(), s.size())) {
      return {slot.data, slot.size};
    }
  }
}

namespace {

constexpr std::uint64_t kMix = 0x9e3779b97f4a7c15ULL;

std::uint64_t mix(std::uint64_t h, std::uint64_t x) noexcept {
  h = (h ^ x) * kMix;
  return h ^ (h >> 29);
}

// One element's part of an array's hash and equality for Arena::share: a Member by its key's
// storage and its value, a Value by itself.
std::uint64_t mix_element(std::uint64_t h, const Member& m) noexcept {
  return mix(mix(h, reinterpret_cast<std::uintptr_t>(m.key.data())), m.value.storage_hash());
}
std::uint64_t mix_element(std::uint64_t h, const Value& v) noexcept {
  return mix(h, v.storage_hash());
}
bool same_element(const Member& a, const Member& b) noexcept {
  return a.key.data() == b.key.data() && same_storage(a.value, b.value);
}
bool same_element(const Value& a, const Value& b) noexcept { return same_storage(a, b); }

}  // namespace

template <typename T>
const T* Arena::share_array(const T* items, std::size_t n) {
  if (n == 0) return nullptr;
  if (interning_ended_) return copy(items, n);
  if (!shared_) shared_ = std::make_unique<ShareSlot[]>(kShareSlots);
  constexpr bool kMembers = std::is_same_v<T, Member>;
  std::uint64_t h = kMembers ? n : ~static_cast<std::uint64_t>(n);
  for (std::size_t i = 0; i < n; ++i) h = mix_element(h, items[i]);
  h |= 1;  // never 0, the empty slot's
  ShareSlot& slot = shared_[(h >> 17) & (kShareSlots - 1)];
  if (slot.hash == h && slot.size == n && slot.members == kMembers) {
    const auto* earlier = static_cast<const T*>(slot.data);
    std::size_t i = 0;
    while (i < n && same_element(earlier[i], items[i])) ++i;
    if (i == n) return earlier;
  }
  const T* stored = copy(items, n);
  slot = ShareSlot{stored, h, static_cast<std::uint32_t>(n), kMembers};
  return stored;
}

const Member* Arena::share(const Member* m, std::size_t n) { return share_array(m, n); }

const Value* Arena::share(const Value* v, std::size_t n) { return share_array(v, n); }

void Arena::grow_interned() {
  const std::size_t capacity = interned_capacity_ == 0 ? 256 : interned_capacity_ * 2;
  auto table = std::make_unique<InternSlot[]>(capacity);
  const std::size_t mask = capacity - 1;
  for (std::size_t i = 0; i < interned_capacity_; ++i) {
    const InternSlot& slot = interned_[i];
    if (slot.data == nullptr) continue;
    std::size_t j = slot.hash & mask;
    while (table[j].data != nullptr) j = (j + 1) & mask;
    table[j] = slot;
  }
  interned_ = std::move(table);
  interned_capacity_ = capacity;
}

}  // namespace ktriage
