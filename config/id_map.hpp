#pragma once
// A map from a platform's user or channel id to a small value, for the maps
// that hold one entry per member of the organisation (the zones Slack
// reports, the members' DM channels).
//
// Slack ids ("U024BE7LH", "D024BE91L") are 9 to 11 characters. A
// std::unordered_map<std::string, V> spends 72 bytes or more on each: a
// 32-byte string, a node of its own and a bucket. Here an id of up to 16
// bytes is kept in 16 bytes, in sorted arrays: 24 bytes an entry for a
// pointer value, 20,000 members in under 0.5 MB (bench/README.md, "Ninth
// session"). Longer ids (a Matrix "@someone:example.org") go to an ordinary
// hash map beside them; nothing is refused.
//
// Lookups are binary searches, O(log n). New ids go to a small sorted array
// first, merged into the main one when it holds kRecent entries, so n
// inserts cost O(n log n + n^2 / kRecent) moves: about 2.4 MB of memmove per
// 1,024 inserts at 100,000 entries. The main array grows only by those merges,
// to its exact size (no doubling, no spare half), or into what reserve() made
// when ids come in order. A pointer returned by find() is valid until the
// next insert or erase.
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace ritualbot {

// An id of at most 16 bytes and no NUL byte, in 16 bytes, zero-padded. Its
// order is the byte order of the ids (the order of std::string and of
// SQLite's BINARY collation): the words hold the bytes big-endian.
class short_id {
public:
    static constexpr std::size_t capacity = 16;
    static bool fits(std::string_view id) {
        return id.size() <= capacity && id.find('\0') == std::string_view::npos;
    }
    // Only for an id that fits().
    explicit short_id(std::string_view id) {
        unsigned char bytes[capacity] = {};
        std::memcpy(bytes, id.data(), id.size());
        words_[0] = load_big_endian(bytes);
        words_[1] = load_big_endian(bytes + 8);
    }
    std::string str() const {
        char bytes[capacity];
        store_big_endian(words_[0], bytes);
        store_big_endian(words_[1], bytes + 8);
        return std::string(bytes, strnlen(bytes, capacity));
    }
    friend bool operator==(const short_id&, const short_id&) = default;
    friend auto operator<=>(const short_id&, const short_id&) = default;

private:
    static std::uint64_t load_big_endian(const unsigned char* p) {
        std::uint64_t v = 0;
        for (int i = 0; i < 8; ++i) v = (v << 8) | p[i];
        return v;
    }
    static void store_big_endian(std::uint64_t v, char* p) {
        for (int i = 7; i >= 0; --i, v >>= 8) p[i] = static_cast<char>(v & 0xff);
    }
    std::array<std::uint64_t, 2> words_;
};

template <class V>
class id_map {
public:
    // Entries merged into the main array at a time (see above).
    static constexpr std::size_t kRecent = 1024;

    std::size_t size() const { return sorted_.size() + recent_.size() + long_.size(); }
    bool empty() const { return size() == 0; }
    bool contains(std::string_view id) const { return find(id) != nullptr; }
    std::size_t count(std::string_view id) const { return contains(id) ? 1 : 0; }

    const V* find(std::string_view id) const {
        if (!short_id::fits(id)) {
            auto it = long_.find(id);
            return it == long_.end() ? nullptr : &it->second;
        }
        const short_id key(id);
        if (const entry* e = search(sorted_, key)) return &e->second;
        if (const entry* e = search(recent_, key)) return &e->second;
        return nullptr;
    }
    V* find(std::string_view id) { return const_cast<V*>(std::as_const(*this).find(id)); }

    // Adds id -> value unless id is here; either way, its value and whether it was added.
    std::pair<V*, bool> try_emplace(std::string_view id, V value) {
        if (!short_id::fits(id)) {
            auto [it, added] = long_.try_emplace(std::string(id), std::move(value));
            return {&it->second, added};
        }
        const short_id key(id);
        // In order, into room reserve() made (the stored users, read ORDER BY
        // id): appended. sorted_ never reallocates here.
        if (sorted_.size() < sorted_.capacity() && (sorted_.empty() || sorted_.back().first < key) &&
            (recent_.empty() || key < recent_.front().first)) {
            sorted_.emplace_back(key, std::move(value));
            return {&sorted_.back().second, true};
        }
        if (entry* e = search(sorted_, key)) return {&e->second, false};
        auto at = std::lower_bound(recent_.begin(), recent_.end(), key, key_less);
        if (at != recent_.end() && at->first == key) return {&at->second, false};
        if (recent_.size() >= kRecent) {
            merge();
            at = recent_.begin();
        }
        at = recent_.emplace(at, key, std::move(value));
        return {&at->second, true};
    }
    void insert_or_assign(std::string_view id, V value) {
        auto [v, added] = try_emplace(id, value);
        if (!added) *v = std::move(value);
    }
    bool erase(std::string_view id) {
        if (!short_id::fits(id)) return long_.erase(std::string(id)) > 0;
        const short_id key(id);
        for (auto* part : {&sorted_, &recent_}) {
            auto at = std::lower_bound(part->begin(), part->end(), key, key_less);
            if (at != part->end() && at->first == key) {
                part->erase(at);
                return true;
            }
        }
        return false;
    }
    // Room for about n ids: ids then added in order go straight into place,
    // without merges (each of which briefly holds the array twice).
    void reserve(std::size_t n) {
        merge();
        sorted_.reserve(n);
    }
    void clear() {
        sorted_.clear();
        recent_.clear();
        long_.clear();
    }
    // f(std::string id, const V& value) for every entry, in no set order.
    template <class F>
    void for_each(F&& f) const {
        for (const auto& [key, value] : sorted_) f(key.str(), value);
        for (const auto& [key, value] : recent_) f(key.str(), value);
        for (const auto& [id, value] : long_) f(id, value);
    }

private:
    using entry = std::pair<short_id, V>;
    static bool key_less(const entry& e, const short_id& k) { return e.first < k; }
    template <class Vec>
    static auto search(Vec& part, const short_id& key) -> decltype(part.data()) {
        auto at = std::lower_bound(part.begin(), part.end(), key, key_less);
        return at != part.end() && at->first == key ? &*at : nullptr;
    }
    // Merges recent_ into sorted_, growing it by exactly what it needs.
    void merge() {
        if (recent_.empty()) return;
        std::vector<entry> out;
        out.reserve(sorted_.size() + recent_.size());
        std::merge(std::make_move_iterator(sorted_.begin()), std::make_move_iterator(sorted_.end()),
                   std::make_move_iterator(recent_.begin()), std::make_move_iterator(recent_.end()),
                   std::back_inserter(out), [](const entry& a, const entry& b) { return a.first < b.first; });
        sorted_ = std::move(out);
        recent_.clear();
    }
    struct long_hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view id) const { return std::hash<std::string_view>{}(id); }
    };

    std::vector<entry> sorted_;  // sorted by key
    std::vector<entry> recent_;  // sorted by key, at most kRecent, none of them in sorted_
    std::unordered_map<std::string, V, long_hash, std::equal_to<>> long_;
};

}  // namespace ritualbot
