// authpp/cookie/cookie_header.hpp — reading a request's Cookie header.
//
// Lenient the way browsers and the `cookie` npm package are: pairs separated
// by ';' with optional whitespace, pairs without '=' skipped, names and values
// trimmed, one pair of surrounding double quotes removed from a value. The
// parse allocates nothing: it iterates views into the header. When a name
// repeats (a browser sends the more specific Path first), find() returns the
// first, as the `cookie` package does.
#pragma once

#include <cstddef>
#include <iterator>
#include <optional>
#include <string_view>

namespace authpp::cookie {

struct cookie_pair {
    std::string_view name;
    std::string_view value;
};

namespace detail {

constexpr std::string_view trim_ows(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

} // namespace detail

/// A forward range of the cookie pairs in a Cookie header value.
class cookie_header {
public:
    class iterator {
    public:
        using iterator_category = std::forward_iterator_tag;
        using value_type = cookie_pair;
        using difference_type = std::ptrdiff_t;
        using pointer = const cookie_pair*;
        using reference = const cookie_pair&;

        constexpr iterator() noexcept = default;
        constexpr explicit iterator(std::string_view rest) noexcept : rest_(rest), at_end_(false) { advance(); }

        constexpr reference operator*() const noexcept { return cur_; }
        constexpr pointer operator->() const noexcept { return &cur_; }
        constexpr iterator& operator++() noexcept {
            advance();
            return *this;
        }
        constexpr iterator operator++(int) noexcept {
            auto t = *this;
            advance();
            return t;
        }
        friend constexpr bool operator==(const iterator& a, const iterator& b) noexcept {
            if (a.at_end_ || b.at_end_) return a.at_end_ == b.at_end_;
            return a.rest_.data() == b.rest_.data() && a.more_ == b.more_;
        }

    private:
        constexpr void advance() noexcept {
            while (more_) {
                const auto semi = rest_.find(';');
                std::string_view seg = rest_.substr(0, semi);
                if (semi == std::string_view::npos) {
                    rest_.remove_prefix(rest_.size());
                    more_ = false;
                } else {
                    rest_.remove_prefix(semi + 1);
                }
                const auto eq = seg.find('=');
                if (eq == std::string_view::npos) continue;
                auto value = detail::trim_ows(seg.substr(eq + 1));
                if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
                    value = value.substr(1, value.size() - 2);
                cur_ = {detail::trim_ows(seg.substr(0, eq)), value};
                return;
            }
            at_end_ = true;
        }

        std::string_view rest_{};
        cookie_pair cur_{};
        bool at_end_ = true;
        bool more_ = true;
    };

    constexpr explicit cookie_header(std::string_view value) noexcept : value_(value) {}

    constexpr iterator begin() const noexcept { return iterator(value_); }
    constexpr iterator end() const noexcept { return iterator(); }

    /// The first cookie named `name`, as sent (not percent-decoded).
    constexpr std::optional<std::string_view> find(std::string_view name) const noexcept {
        for (const auto& c : *this)
            if (c.name == name) return c.value;
        return std::nullopt;
    }

    constexpr std::string_view str() const noexcept { return value_; }

private:
    std::string_view value_;
};

} // namespace authpp::cookie
