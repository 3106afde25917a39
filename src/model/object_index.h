// A hash index of objects by a key read from the objects themselves: one flat array of
// (hash, object) slots with linear probing. At 500,000 objects a node-based map allocated a node
// per entry and cost most of the index build; this allocates once and stores no key copies.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <vector>

#include "model/object.h"

namespace ktriage {

/// `KeyOf` gives an object's key: `KeyOf{}(const Object&) -> Key`; `Hash{}(const Key&)` hashes it
/// and `Key` compares with ==. Objects must outlive the index. Insert-only.
template <typename Key, typename KeyOf, typename Hash>
class ObjectIndex {
 public:
  /// Sizes the table for `n` objects so inserts never rehash. O(n).
  void reserve(std::size_t n) {
    if (2 * n <= slots_.size()) return;
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(std::bit_ceil(std::max<std::size_t>(16, 2 * n)), Slot{});
    used_ = 0;
    for (const Slot& s : old) {
      if (s.object != nullptr) place(s);
    }
  }
  /// Adds `o` unless an object with the same key is there already (the first one wins); says
  /// whether it was added. O(1) average.
  bool insert(const Object& o) {
    if (2 * (used_ + 1) > slots_.size()) reserve(2 * used_ + 8);
    const Key key = KeyOf{}(o);
    const std::size_t h = Hash{}(key);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
      Slot& s = slots_[i];
      if (s.object == nullptr) {
        s = Slot{h, &o};
        ++used_;
        return true;
      }
      if (s.hash == h && KeyOf{}(*s.object) == key) return false;
    }
  }
  /// The object with key `key`, or nullptr. O(1) average.
  const Object* find(const Key& key) const {
    if (slots_.empty()) return nullptr;
    const std::size_t h = Hash{}(key);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
      const Slot& s = slots_[i];
      if (s.object == nullptr) return nullptr;
      if (s.hash == h && KeyOf{}(*s.object) == key) return s.object;
    }
  }

 private:
  struct Slot {
    std::size_t hash = 0;
    const Object* object = nullptr;
  };
  void place(const Slot& slot) {
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = slot.hash & mask;
    while (slots_[i].object != nullptr) i = (i + 1) & mask;
    slots_[i] = slot;
    ++used_;
  }

  std::vector<Slot> slots_;  // power-of-two size, at most half full
  std::size_t used_ = 0;
};

}  // namespace ktriage
