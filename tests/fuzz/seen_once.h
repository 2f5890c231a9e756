// "Checked this already?" for the fast fuzz targets, without allocating.
//
// A check that depends on the link alone (the own link's round trip, a walk
// of a whole short trace) need not run again for a link already checked: a
// rebuild is the expensive part of an input. The memory of what was checked
// must not allocate per input: libFuzzer runs an input a second time, to look
// for a leak, whenever it made more mallocs than frees (a std::set growing by
// one link every new input doubled the url target's cost). So: a fixed,
// direct-mapped table of 64-bit hashes: two keys in one slot only make the
// check run again (only two keys with the same 64-bit hash would skip one).
//
//   static SeenOnce seen;
//   if (seen.first_time(link)) run_the_check();
//
// HashMemo is the same for an answer worth keeping (is this key a size?).
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <string>

namespace sw::fuzz {

class SeenOnce {
 public:
  // True the first time `key` comes (and after a colliding key evicted it).
  bool first_time(const std::string& key) {
    // Hash 0 marks an empty slot: map it to 1.
    uint64_t h = (uint64_t)std::hash<std::string>()(key) * 0x9E3779B97F4A7C15ull;
    h = h ? h : 1;
    uint64_t& slot = slots_[(size_t)(h >> 50)];  // 2¹⁴ slots
    if (slot == h) return false;
    slot = h;
    return true;
  }

 private:
  std::array<uint64_t, 1 << 14> slots_{};
};

// A fixed, direct-mapped memo of yes/no answers by key (same reasons).
class HashMemo {
 public:
  // The answer stored for `key`, or null.
  const bool* find(const std::string& key) const {
    const uint64_t h = hash(key);
    const Slot& s = slots_[(size_t)(h >> 52)];
    return s.hash == h ? &s.answer : nullptr;
  }
  void put(const std::string& key, bool answer) {
    const uint64_t h = hash(key);
    slots_[(size_t)(h >> 52)] = {h, answer};
  }

 private:
  static uint64_t hash(const std::string& key) {
    const uint64_t h = (uint64_t)std::hash<std::string>()(key) * 0x9E3779B97F4A7C15ull;
    return h ? h : 1;
  }
  struct Slot {
    uint64_t hash = 0;
    bool answer = false;
  };
  std::array<Slot, 1 << 12> slots_{};
};

}  // namespace sw::fuzz
