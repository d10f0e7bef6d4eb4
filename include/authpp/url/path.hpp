// authpp/url/path.hpp — a request target's path in the normal form the
// middleware matches (see <authpp/middleware.hpp> for why).
//
// The normalisation a browser's URL parser applies (the reference sees
// request.nextUrl.pathname): dot segments resolved, also percent-encoded
// ones, '\' read as '/', absolute-form targets reduced to their path.
// Beyond the reference, percent-encoded unreserved characters are decoded
// (RFC 3986 §6.2.2.2: /%61dmin is /admin; not in a path with a stray '%',
// which no decoder reads the same way twice). ";" and "%2F" are never
// special: "/dashboard;x" and "/dashboard%2fx" are paths of their own, as
// they are to the WHATWG URL parser. The result is a fixed point: normalising
// it again gives it back.
#pragma once

#include <authpp/url/percent.hpp>

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace authpp::url {

/// Router leniencies applied on top (auth_options::path_matching).
struct path_leniencies {
    /// "//dashboard///x" is "/dashboard/x" (nginx's merge_slashes, most
    /// routers that split on '/').
    bool merge_slashes = false;
    /// ASCII letters compared without case ("/DASHBOARD" is
    /// "/dashboard"): the path is lower-cased, and so are the patterns
    /// (outside regex escapes such as \D, which keep their meaning).
    bool ignore_case = false;
};

namespace detail {

/// The character "%XX" at s[i] stands for, when it is an unreserved one
/// (RFC 3986: ALPHA DIGIT - . _ ~), else 0.
constexpr char encoded_unreserved(std::string_view s, std::size_t i) noexcept {
    const int b = escaped_byte(s, i);
    return b >= 0 && is_unreserved(static_cast<unsigned char>(b)) ? static_cast<char>(b) : 0;
}

/// "." or "..", also spelled with %2e as the WHATWG URL parser accepts, so
/// that a stray '%' elsewhere (which stops decoding) cannot hide one.
constexpr bool is_dot(std::string_view s) noexcept {
    return s == "." || (s.size() == 3 && s[0] == '%' && s[1] == '2' && (s[2] == 'e' || s[2] == 'E'));
}
constexpr int dot_segment(std::string_view seg) noexcept {
    if (is_dot(seg)) return 1;
    for (std::size_t cut : {std::size_t(1), std::size_t(3)})
        if (seg.size() > cut && is_dot(seg.substr(0, cut)) && is_dot(seg.substr(cut))) return 2;
    return 0;
}
constexpr bool is_dot_segment(std::string_view seg) noexcept { return dot_segment(seg) != 0; }

/// Whether `path` is already in normal form (the common case: no allocation).
/// On the hot path of every request, hence the cheap tests first. Escapes
/// are decoded only when every '%' starts one: in "/%%36%31" decoding would
/// make a new escape ("%61") out of a stray '%', and the result would no
/// longer be a fixed point.
constexpr bool path_is_normal(std::string_view path, const path_leniencies& pm = {}) noexcept {
    if (path.empty() || path[0] != '/') return false;
    if (pm.merge_slashes && path.find("//") != std::string_view::npos) return false;
    if (pm.ignore_case)
        for (char c : path)
            if (c >= 'A' && c <= 'Z') return false;
    const bool decode = path.find('%') != std::string_view::npos && escapes_well_formed(path);
    // A dot segment is at most 6 bytes ("%2e%2e") and starts with '.' or '%'.
    auto dots = [&](std::size_t from, std::size_t to) {
        return to - from <= 6 && to > from && (path[from] == '.' || path[from] == '%') &&
               is_dot_segment(path.substr(from, to - from));
    };
    std::size_t seg = 1;
    for (std::size_t i = 1; i < path.size(); ++i) {
        const char c = path[i];
        if (c == '/') {
            if (dots(seg, i)) return false;
            seg = i + 1;
        } else if (c == '\\' || (c == '%' && decode && encoded_unreserved(path, i))) {
            return false;
        }
    }
    return !dots(seg, path.size());
}

} // namespace detail

/// The normal form of a request target's path (see the header comment):
/// `path` itself when it is already normal, else a normal form written into
/// `scratch`. The result always starts with '/'.
inline std::string_view normalize_request_path(std::string_view path, std::string& scratch,
                                               const path_leniencies& pm = {}) {
    if (detail::path_is_normal(path, pm)) return path;
    // Absolute-form (RFC 9112 §3.2.2): keep the path after the authority.
    if (!path.empty() && path[0] != '/') {
        if (const auto scheme = path.find("://"); scheme != std::string_view::npos) {
            const auto slash = path.find('/', scheme + 3);
            path = slash == std::string_view::npos ? std::string_view("/") : path.substr(slash);
        }
    }
    std::string slashed;
    slashed.reserve(path.size() + 1);
    if (path.empty() || (path[0] != '/' && path[0] != '\\')) slashed += '/';
    for (char c : path) {
        if (c == '\\') c = '/';
        if (pm.ignore_case && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (pm.merge_slashes && c == '/' && !slashed.empty() && slashed.back() == '/') continue;
        slashed += c;
    }
    // Dot segments, as the WHATWG URL parser resolves them: "." drops out,
    // ".." drops the segment before it, and either one last leaves a '/'.
    std::vector<std::string_view> out;
    const std::string_view d(slashed);
    for (std::size_t seg = 1;;) {
        const auto end = std::min(d.find('/', seg), d.size());
        const auto s = d.substr(seg, end - seg);
        const int dots = detail::dot_segment(s);
        if (dots == 2 && !out.empty()) out.pop_back();
        if (dots == 0) out.push_back(s);
        if (end == d.size()) {
            if (dots != 0) out.emplace_back();
            break;
        }
        seg = end + 1;
    }
    // Then unreserved escapes, when every '%' left is a well-formed escape
    // (decoding cannot make a new dot segment: %2e ones are gone already).
    std::string joined;
    for (const auto& s : out) {
        if (pm.merge_slashes && s.empty() && !joined.empty() && joined.back() == '/') continue;
        joined += '/';
        joined += s;
    }
    if (joined.empty()) joined = "/";
    if (!escapes_well_formed(joined)) {
        scratch = std::move(joined);
        return scratch;
    }
    scratch.clear();
    for (std::size_t i = 0; i < joined.size(); ++i) {
        if (char c = detail::encoded_unreserved(joined, i)) {
            if (pm.ignore_case && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
            scratch += c;
            i += 2;
        } else {
            scratch += joined[i];
        }
    }
    return scratch;
}

} // namespace authpp::url
