// authpp/options/option_problem.hpp — what a mode's options validate()
// reports, and the checks the modes share.
#pragma once

#include <string>
#include <string_view>

namespace authpp {

/// What validate() found wrong: the option's name and why (never its value).
struct option_problem {
    std::string option;
    std::string why;
};

namespace detail {

/// An RFC 6265 cookie name (an RFC 7230 token).
constexpr bool is_cookie_name(std::string_view n) noexcept {
    if (n.empty()) return false;
    for (const unsigned char c : n)
        if (c <= 0x20 || c >= 0x7f || std::string_view("()<>@,;:\\\"/[]?={}").find(static_cast<char>(c)) !=
                                          std::string_view::npos)
            return false;
    return true;
}

/// A path on this origin: '/' first, not "//" or "/\" (which browsers read
/// as another host), printable ASCII only (no controls, spaces or bytes a
/// Location header cannot carry).
constexpr bool is_same_origin_path(std::string_view p) noexcept {
    if (!p.starts_with('/') || p.starts_with("//") || p.starts_with("/\\")) return false;
    for (const unsigned char c : p)
        if (c <= 0x20 || c >= 0x7f) return false;
    return true;
}

} // namespace detail
} // namespace authpp
