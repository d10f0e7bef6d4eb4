// authpp/match/prefix_matcher.hpp — path prefixes with segment boundaries, the
// reference's matchPathPrefix: "/api" covers "/api" and "/api/x", never
// "/apiv" or "/api-docs"; "/api/" covers "/api/…" only.
#pragma once

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

class prefix_matcher {
public:
    prefix_matcher() = default;
    explicit prefix_matcher(const std::vector<std::string>& patterns) : patterns_(patterns) {}

    bool matches(std::string_view path) const noexcept {
        for (const auto& p : patterns_)
            if (match_path_prefix(path, p)) return true;
        return false;
    }
    bool empty() const noexcept { return patterns_.empty(); }

private:
    std::vector<std::string> patterns_;
};

} // namespace authpp
