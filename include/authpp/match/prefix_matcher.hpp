// authpp/match/prefix_matcher.hpp — path prefixes with segment boundaries, the
// reference's matchPathPrefix: "/api" covers "/api" and "/api/x", never
// "/apiv" or "/api-docs"; "/api/" covers "/api/…" only.
//
// prefix_matcher answers for hundreds of patterns in time linear in the path,
// whatever the number of patterns: a pattern P covers a path exactly when P is
// the whole path, or P is the path cut just before or just after one of its
// '/' characters. So one left-to-right pass hashes the path incrementally and,
// at each '/', looks its two cuts up in a hash table of the patterns; nothing
// is allocated per call.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace authpp {

/// Whether `pattern` covers `path` as a segment-bounded prefix.
constexpr bool match_path_prefix(std::string_view path, std::string_view pattern) noexcept {
    if (path == pattern) return true;
    if (!path.starts_with(pattern)) return false;
    if (!pattern.empty() && pattern.back() == '/') return true;
    return path.size() > pattern.size() && path[pattern.size()] == '/';
}

/// A PathMatcher: any of the patterns covers the path (match_path_prefix).
/// Immutable after construction; matches() is safe on any number of threads.
class prefix_matcher {
public:
    prefix_matcher() = default;

    explicit prefix_matcher(const std::vector<std::string>& patterns) {
        std::size_t n = 0;
        for (const auto& p : patterns) max_len_ = std::max(max_len_, p.size()), n += p.size();
        text_.reserve(n);
        std::size_t cap = 8;
        while (cap < 2 * patterns.size()) cap *= 2;
        slots_.assign(cap, slot{});
        for (const auto& p : patterns) insert(p);
    }

    bool matches(std::string_view path) const noexcept {
        if (count_ == 0) return false;
        std::uint64_t h = fnv_basis;
        // Cuts longer than the longest pattern cannot match (a '/' at index
        // max_len_ still ends one of max_len_ bytes); the whole path is then
        // checked only when it is short enough as well.
        const std::size_t scan = std::min(path.size(), max_len_ + 1);
        for (std::size_t i = 0; i < scan; ++i) {
            if (path[i] == '/') {
                if (find(path.data(), i, h)) return true; // "/api" before "/api/x"
                h = step(h, '/');
                if (find(path.data(), i + 1, h)) return true; // "/api/" before "/api/x"
                continue;
            }
            h = step(h, path[i]);
        }
        return path.size() <= max_len_ && find(path.data(), path.size(), h);
    }

    bool empty() const noexcept { return count_ == 0; }
    std::size_t size() const noexcept { return count_; }

private:
    static constexpr std::uint64_t fnv_basis = 0xcbf29ce484222325ull;
    static constexpr std::uint64_t fnv_prime = 0x100000001b3ull;
    static constexpr std::uint32_t no_pattern = 0xffffffffu;

    static constexpr std::uint64_t step(std::uint64_t h, char c) noexcept {
        return (h ^ static_cast<unsigned char>(c)) * fnv_prime;
    }

    struct slot {
        std::uint64_t hash = 0;
        std::uint32_t offset = no_pattern; ///< into text_; no_pattern: free
        std::uint32_t size = 0;
    };

    // Mixes the length in, so equal hashes of different lengths land apart.
    std::size_t home(std::uint64_t h, std::size_t len) const noexcept {
        const std::uint64_t x = (h ^ (len * 0x9e3779b97f4a7c15ull)) * 0xff51afd7ed558ccdull;
        return static_cast<std::size_t>(x >> 32) & (slots_.size() - 1);
    }

    void insert(std::string_view p) {
        std::uint64_t h = fnv_basis;
        for (char c : p) h = step(h, c);
        if (find(p.data(), p.size(), h)) return; // a duplicate adds nothing
        std::size_t i = home(h, p.size());
        while (slots_[i].offset != no_pattern) i = (i + 1) & (slots_.size() - 1);
        slots_[i] = {h, static_cast<std::uint32_t>(text_.size()), static_cast<std::uint32_t>(p.size())};
        text_.append(p);
        ++count_;
    }

    // The table is at most half full, so a probe ends at a free slot soon.
    // Paths are attacker-chosen but the table is not: a crafted collision
    // costs one memcmp no longer than the longest pattern per cut.
    bool find(const char* s, std::size_t len, std::uint64_t h) const noexcept {
        for (std::size_t i = home(h, len);; i = (i + 1) & (slots_.size() - 1)) {
            const slot& e = slots_[i];
            if (e.offset == no_pattern) return false;
            if (e.hash == h && e.size == len &&
                (len == 0 || std::memcmp(text_.data() + e.offset, s, len) == 0)) return true;
        }
    }

    std::vector<slot> slots_;
    std::string text_;
    std::size_t max_len_ = 0;
    std::size_t count_ = 0;
};

} // namespace authpp
