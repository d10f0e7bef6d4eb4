// authpp/url/url.hpp — absolute URLs: the parts of an http(s) URL a
// transport needs to open a connection and write a request line, the origin
// a redirect is compared by, and the cheaper tests of a URL's form that the
// options and the middleware apply.
//
// Each keeps the rule of the place it serves (they are not one parser):
// parse_http_url() is exact about the scheme's spelling and the port, since
// it decides where a request goes; origin_of() compares what a browser
// would; is_absolute_http_url() only screens configuration.
#pragma once

#include <authpp/error.hpp>
#include <authpp/url/percent.hpp>

#include <charconv>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace authpp::url {

/// An absolute http(s) URL in the parts a transport uses.
struct http_url {
    bool tls = false;
    std::string host;    ///< without brackets for IPv6 literals
    std::string port;    ///< always set ("80"/"443" by default)
    std::string target;  ///< path and query, at least "/"

    /// "scheme://host:port", the key connections are pooled under.
    std::string origin() const { return (tls ? "https://" : "http://") + host + ":" + port; }
    /// The Host header value.
    std::string host_header() const {
        const bool v6 = host.find(':') != std::string::npos;
        const std::string h = v6 ? "[" + host + "]" : host;
        return (port == (tls ? "443" : "80")) ? h : h + ":" + port;
    }
};

/// Parses http://host[:port][/path][?query][#fragment] and https://… (the
/// scheme in lower case; the fragment is dropped); anything else (other
/// schemes, user info, empty host, bad port, controls or spaces) is
/// error::invalid_option.
inline result<http_url> parse_http_url(std::string_view url) {
    http_url u;
    if (url.starts_with("https://")) u.tls = true, url.remove_prefix(8);
    else if (url.starts_with("http://")) url.remove_prefix(7);
    else return error::invalid_option;
    const auto end = url.find_first_of("/?#");
    std::string_view authority = url.substr(0, end);
    std::string_view rest = end == std::string_view::npos ? std::string_view{} : url.substr(end);
    if (authority.empty() || authority.find('@') != std::string_view::npos) return error::invalid_option;
    std::string_view host, port;
    if (authority.front() == '[') {
        const auto close = authority.find(']');
        if (close == std::string_view::npos) return error::invalid_option;
        host = authority.substr(1, close - 1);
        auto after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') return error::invalid_option;
            port = after.substr(1);
        }
    } else {
        const auto colon = authority.rfind(':');
        host = authority.substr(0, colon);
        if (colon != std::string_view::npos) port = authority.substr(colon + 1);
    }
    if (host.empty()) return error::invalid_option;
    for (char c : host)
        if (c <= 0x20 || c == 0x7f || c == '/' || c == '\\') return error::invalid_option;
    if (!port.empty()) {
        unsigned v = 0;
        auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), v);
        if (ec != std::errc{} || p != port.data() + port.size() || v == 0 || v > 65535) return error::invalid_option;
    }
    u.host = std::string(host);
    u.port = port.empty() ? (u.tls ? "443" : "80") : std::string(port);
    if (const auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
    u.target = rest.empty() ? "/" : (rest.front() == '?' ? "/" + std::string(rest) : std::string(rest));
    for (char c : u.target)
        if (c <= 0x20 || c == 0x7f) return error::invalid_option;
    return u;
}

namespace detail {

constexpr char lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

constexpr bool istarts_with(std::string_view s, std::string_view prefix) noexcept {
    if (s.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (lower(s[i]) != lower(prefix[i])) return false;
    return true;
}

} // namespace detail

/// The origin (`scheme://host[:port]`, lowercased, default port dropped) of
/// an absolute http(s) URL, or nullopt for anything else (other schemes,
/// user info, an empty or malformed host).
inline std::optional<std::string> origin_of(std::string_view url) {
    std::string scheme;
    if (detail::istarts_with(url, "https://"))
        scheme = "https";
    else if (detail::istarts_with(url, "http://"))
        scheme = "http";
    else
        return std::nullopt;
    url.remove_prefix(scheme.size() + 3);
    const auto end = url.find_first_of("/?#\\");
    const auto authority = url.substr(0, end);
    if (authority.empty() || authority.find('@') != std::string_view::npos) return std::nullopt;
    std::string host;
    for (char c : authority) {
        const char l = detail::lower(c);
        if (!((l >= 'a' && l <= 'z') || (l >= '0' && l <= '9') || l == '.' || l == '-' || l == ':' || l == '[' ||
              l == ']'))
            return std::nullopt;
        host += l;
    }
    const std::string_view default_port = scheme == "https" ? ":443" : ":80";
    if (host.ends_with(default_port)) host.resize(host.size() - default_port.size());
    if (host.empty() || host.front() == ':') return std::nullopt;
    return scheme + "://" + host;
}

/// "http://host…" or "https://host…" with a non-empty host (the scheme in
/// any case): what the options accept as an endpoint.
constexpr bool is_absolute_http_url(std::string_view u) noexcept {
    for (std::string_view scheme : {"https://", "http://"}) {
        if (u.size() <= scheme.size()) continue;
        bool match = true;
        for (std::size_t i = 0; i < scheme.size(); ++i)
            if (static_cast<char>(u[i] | 0x20) != scheme[i] && u[i] != scheme[i]) match = false;
        if (!match) continue;
        const char first = u[scheme.size()];
        return first != '/' && first != '?' && first != '#' && first != ':';
    }
    return false;
}

/// Whether `url` starts with a scheme and "://" (RFC 3986: ALPHA *( ALPHA /
/// DIGIT / "+" / "-" / "." ), though a leading digit is let through).
constexpr bool has_scheme(std::string_view url) noexcept {
    const auto colon = url.find("://");
    if (colon == std::string_view::npos || colon == 0) return false;
    for (char c : url.substr(0, colon))
        if (!(is_alnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.')) return false;
    return true;
}

} // namespace authpp::url
