// Immutable JSON-like document tree shared by the JSON and YAML readers.
//
// A Value is 16 bytes and never owns memory: strings, arrays and members live in an Arena that the
// owner (a loaded snapshot) keeps alive for as long as any Value is read. Object members keep the
// order of the source. Lookups by key are linear, which is faster than hashing for the 3-15 keys a
// Kubernetes object level has.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <memory_resource>
#include <span>
#include <string_view>

namespace ktriage {

struct Member;

/// An object member's key: 8 bytes pointing at characters stored right after their 4-byte
/// length in an Arena (Arena::key), so that a Member is 24 bytes instead of 32. Keys are most of
/// a snapshot's tree (a pod has ~280 of them), so this is a fifth of a loaded snapshot's memory.
/// Reads as a std::string_view.
class Key {
 public:
  constexpr Key() noexcept : chars_(kEmpty + sizeof(std::uint32_t)) {}

  std::string_view view() const noexcept { return {chars_, size()}; }
  operator std::string_view() const noexcept {
    return view();
  }  // NOLINT(google-explicit-constructor)

  std::size_t size() const noexcept {
    std::uint32_t n;
    std::memcpy(&n, chars_ - sizeof(n), sizeof(n));
    return n;
  }
  bool empty() const noexcept { return size() == 0; }
  const char* data() const noexcept { return chars_; }
  const char* begin() const noexcept { return chars_; }
  const char* end() const noexcept { return chars_ + size(); }
  char front() const noexcept { return chars_[0]; }
  char back() const noexcept { return chars_[size() - 1]; }
  bool starts_with(std::string_view s) const noexcept { return view().starts_with(s); }
  bool starts_with(char c) const noexcept { return view().starts_with(c); }
  bool ends_with(std::string_view s) const noexcept { return view().ends_with(s); }
  std::string_view substr(std::size_t pos, std::size_t n = std::string_view::npos) const {
    return view().substr(pos, n);
  }
  std::size_t find(std::string_view s, std::size_t pos = 0) const noexcept {
    return view().find(s, pos);
  }
  std::size_t find(char c, std::size_t pos = 0) const noexcept { return view().find(c, pos); }
  std::size_t rfind(char c, std::size_t pos = std::string_view::npos) const noexcept {
    return view().rfind(c, pos);
  }

  friend bool operator==(Key a, Key b) noexcept {
    return a.chars_ == b.chars_ || a.view() == b.view();
  }
  friend bool operator==(Key a, std::string_view b) noexcept { return a.view() == b; }
  friend auto operator<=>(Key a, Key b) noexcept { return a.view() <=> b.view(); }
  friend auto operator<=>(Key a, std::string_view b) noexcept { return a.view() <=> b; }

 private:
  friend class Arena;
  explicit Key(const char* chars) noexcept : chars_(chars) {}
  static constexpr char kEmpty[sizeof(std::uint32_t) + 1] = {};
  const char* chars_;  // the length is in the 4 bytes before
};

/// One node of a document: null, bool, integer, double, string, array or object.
/// Missing keys and type mismatches read as a null Value, so chains like
/// `pod["spec"]["containers"]` never need a check per step.
class Value {
 public:
  enum class Type : std::uint8_t { kNull, kBool, kInt, kDouble, kString, kArray, kObject };

  constexpr Value() noexcept : type_(Type::kNull), size_(0), int_(0) {}
  static Value boolean(bool b) noexcept {
    Value v;
    v.type_ = Type::kBool;
    v.int_ = b ? 1 : 0;
    return v;
  }
  static Value integer(std::int64_t i) noexcept {
    Value v;
    v.type_ = Type::kInt;
    v.int_ = i;
    return v;
  }
  static Value number(double d) noexcept {
    Value v;
    v.type_ = Type::kDouble;
    v.double_ = d;
    return v;
  }
  /// `s` must outlive the Value (it points into an Arena).
  static Value string(std::string_view s) noexcept {
    Value v;
    v.type_ = Type::kString;
    v.size_ = static_cast<std::uint32_t>(s.size());
    v.str_ = s.data();
    return v;
  }
  static Value array(const Value* items, std::uint32_t n) noexcept {
    Value v;
    v.type_ = Type::kArray;
    v.size_ = n;
    v.items_ = items;
    return v;
  }
  static Value object(const Member* members, std::uint32_t n) noexcept {
    Value v;
    v.type_ = Type::kObject;
    v.size_ = n;
    v.members_ = members;
    return v;
  }

  Type type() const noexcept { return type_; }
  bool is_null() const noexcept { return type_ == Type::kNull; }
  bool is_string() const noexcept { return type_ == Type::kString; }
  bool is_object() const noexcept { return type_ == Type::kObject; }
  bool is_array() const noexcept { return type_ == Type::kArray; }
  bool is_number() const noexcept { return type_ == Type::kInt || type_ == Type::kDouble; }
  bool is_bool() const noexcept { return type_ == Type::kBool; }

  /// The string, or "" for any other type.
  std::string_view str() const noexcept {
    return type_ == Type::kString ? std::string_view(str_, size_) : std::string_view();
  }
  /// Integers as is, doubles truncated (held at the int64 limits; NaN gives `fallback`),
  /// numeric strings ("3") parsed; `fallback` otherwise.
  std::int64_t as_int(std::int64_t fallback = 0) const noexcept;
  /// Doubles as is, integers converted; `fallback` for any other type (strings are not parsed).
  double as_double(double fallback = 0) const noexcept {
    if (type_ == Type::kDouble) return double_;
    if (type_ == Type::kInt) return static_cast<double>(int_);
    return fallback;
  }
  /// true only for a bool true (YAML/JSON), never for strings.
  bool as_bool(bool fallback = false) const noexcept {
    return type_ == Type::kBool ? int_ != 0 : fallback;
  }

  /// Elements of an array; empty for other types.
  std::span<const Value> items() const noexcept {
    return type_ == Type::kArray ? std::span<const Value>(items_, size_) : std::span<const Value>();
  }
  /// Members of an object in source order; empty for other types.
  std::span<const Member> members() const noexcept;
  /// Number of elements or members; 0 for scalars.
  std::uint32_t size() const noexcept {
    return (type_ == Type::kArray || type_ == Type::kObject) ? size_ : 0;
  }

  /// Member lookup, O(members). Returns a null Value when absent or not an object.
  const Value& operator[](std::string_view key) const noexcept;
  /// Element lookup. Returns a null Value when out of range or not an array.
  const Value& operator[](std::size_t index) const noexcept {
    return (type_ == Type::kArray && index < size_) ? items_[index] : null_value();
  }
  /// True when the object has `key` (even with a null value).
  bool contains(std::string_view key) const noexcept;

  /// The shared null Value that lookups return for "absent".
  static const Value& null_value() noexcept;
  /// Short name of the type for messages ("string", "array", ...).
  static std::string_view type_name(Type t) noexcept;

  /// Whether `a` and `b` are the same scalar or point at the same storage: not deep equality
  /// (an equal string stored twice differs), but what makes two arrays interchangeable for
  /// Arena::share(). O(1).
  friend bool same_storage(const Value& a, const Value& b) noexcept {
    return a.type_ == b.type_ && a.size_ == b.size_ && a.payload_bits() == b.payload_bits();
  }
  /// A hash consistent with same_storage(). O(1).
  std::uint64_t storage_hash() const noexcept {
    return payload_bits() ^
           (static_cast<std::uint64_t>(size_) << 8 | static_cast<std::uint8_t>(type_));
  }

 private:
  // Every constructor sets all eight bytes of the union, so they can be compared as one.
  std::uint64_t payload_bits() const noexcept {
    std::uint64_t bits;
    std::memcpy(&bits, &int_, sizeof(bits));
    return bits;
  }

  Type type_;
  std::uint32_t size_;
  union {
    std::int64_t int_;
    double double_;
    const char* str_;
    const Value* items_;
    const Member* members_;
  };
};

/// One key/value pair of an object.
struct Member {
  Key key;
  Value value;
};
static_assert(sizeof(Member) == 24);

inline std::span<const Member> Value::members() const noexcept {
  return type_ == Type::kObject ? std::span<const Member>(members_, size_)
                                : std::span<const Member>();
}

/// Where an Arena gets its memory: small blocks from operator new, blocks of 8 MiB and more
/// straight from mmap, marked for transparent huge pages. A 150,000-pod load fills ~2 GB of
/// arena; with 4 KiB pages that is half a million page faults, the largest single cost of a
/// load on virtual machines where a fault is expensive. Stateless, so one instance serves all.
class ArenaUpstream final : public std::pmr::memory_resource {
 public:
  static ArenaUpstream* instance() noexcept;

 private:
  void* do_allocate(std::size_t bytes, std::size_t alignment) override;
  void do_deallocate(void* p, std::size_t bytes, std::size_t alignment) override;
  bool do_is_equal(const std::pmr::memory_resource& other) const noexcept override {
    return this == &other;
  }
};

/// Monotonic storage for Values and their strings. Not thread-safe; one per loader thread.
class Arena {
 public:
  Arena() : resource_(ArenaUpstream::instance()) {}
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  /// Copies `s` into the arena and returns a view of the copy.
  std::string_view copy(std::string_view s) {
    if (s.empty()) return {};
    char* p = static_cast<char*>(resource_.allocate(s.size(), 1));
    std::memcpy(p, s.data(), s.size());
    return {p, s.size()};
  }
  /// A key for a Member: like intern(), stored after its length.
  Key key(std::string_view s) {
    if (s.empty()) return Key();
    return Key(intern(s).data());
  }
  /// Like copy(), but equal short strings share one copy. Object keys and many values repeat
  /// across objects ("metadata", "Running", "IfNotPresent", image names): interning them cuts
  /// a snapshot's arena by about a quarter. The table grows to kMaxInternSlots and then stops
  /// taking new strings, so unique values cannot make it grow without end. Every copy it makes
  /// is preceded by its length (4 bytes), for key().
  std::string_view intern(std::string_view s);
  /// The intern table's bound: 1 Mi slots of 16 bytes, 16 MiB, half of them used at most. At
  /// 64 Ki slots the unique names of a 150,000-pod List filled the table within its first few
  /// thousand pods; from there every value that repeats from replica to replica (images,
  /// container names, label values) was copied per pod, and no subtree that holds one could be
  /// shared. The larger bound cut the peak RSS of that load by 90 MB and its time by a tenth.
  static constexpr std::size_t kMaxInternSlots = std::size_t{1} << 20;
  /// Whether `s` is the shared copy intern() handed out (other Values may point at it, so it
  /// must not be written to, e.g. when a Secret's values are wiped). O(1) average. After
  /// end_interning() it says true of every string intern() could have shared (1 to 48 bytes).
  bool is_interned(std::string_view s) const noexcept;
  /// Frees the intern table and the share cache (up to 16 MiB) once the arena's strings are all
  /// in: Cluster::build calls it, so that the indexes it builds reuse that memory instead of
  /// faulting in fresh pages. Afterwards intern() and share() copy.
  void end_interning() noexcept;
  /// Copies `n` values.
  const Value* copy(const Value* v, std::size_t n) {
    if (n == 0) return nullptr;
    auto* p = static_cast<Value*>(resource_.allocate(n * sizeof(Value), alignof(Value)));
    std::memcpy(static_cast<void*>(p), v, n * sizeof(Value));
    return p;
  }
  const Member* copy(const Member* m, std::size_t n) {
    if (n == 0) return nullptr;
    auto* p = static_cast<Member*>(resource_.allocate(n * sizeof(Member), alignof(Member)));
    std::memcpy(static_cast<void*>(p), m, n * sizeof(Member));
    return p;
  }
  /// Like copy(), but when the same `n` members or values (same keys, same_storage values) went
  /// through share() recently, that copy is returned instead: the replicas of a Deployment
  /// repeat most of their spec (probes, resources, env, ports, tolerations, labels), and a
  /// tree built bottom-up finds each repeated subtree as one repeated array. Recently: a
  /// direct-mapped cache of kShareSlots, because kubectl lists a workload's pods one after
  /// another and unique arrays (metadata, status) would fill any table that only grows, and
  /// because the cache must stay in L2: at 65,536 slots its misses cost more than the copies
  /// saved. At 150,000 pods it cuts peak memory from 2.42 GB to 1.84 GB.
  /// What comes back may be shared, so it must never be written to: callers pass copy()
  /// for what may be (Secret data, annotations: objects.cpp). O(n).
  const Member* share(const Member* m, std::size_t n);
  const Value* share(const Value* v, std::size_t n);

 private:
  struct InternSlot {
    const char* data = nullptr;
    std::uint32_t size = 0;
    std::uint32_t hash = 0;
  };
  void grow_interned();
  // share() for either element type (defined and instantiated in value.cpp).
  template <typename T>
  const T* share_array(const T* items, std::size_t n);
  // copy() with the length in the 4 bytes before the characters.
  std::string_view copy_prefixed(std::string_view s) {
    const auto n = static_cast<std::uint32_t>(s.size());
    char* p = static_cast<char*>(resource_.allocate(sizeof(n) + s.size(), 1));
    std::memcpy(p, &n, sizeof(n));
    std::memcpy(p + sizeof(n), s.data(), s.size());
    return {p + sizeof(n), s.size()};
  }

  struct ShareSlot {
    const void* data = nullptr;
    std::uint64_t hash = 0;
    std::uint32_t size = 0;
    bool members = false;  // a Member array, else a Value array
  };
  static constexpr std::size_t kShareSlots = 1u << 12;

  std::pmr::monotonic_buffer_resource resource_;
  std::unique_ptr<ShareSlot[]> shared_;     // kShareSlots, allocated on first use
  std::unique_ptr<InternSlot[]> interned_;  // open addressing, power-of-two size
  std::size_t interned_capacity_ = 0;
  std::size_t interned_count_ = 0;
  bool interning_ended_ = false;
};

}  // namespace ktriage
