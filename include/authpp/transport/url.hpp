// authpp/transport/url.hpp — the parts of an absolute http(s) URL a transport
// needs to open a connection and write a request line.
#pragma once

#include <authpp/error.hpp>

#include <charconv>
#include <string>
#include <string_view>

namespace authpp::transport {

struct url_parts {
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

/// Parses http://host[:port][/path][?query] and https://…; anything else
/// (other schemes, user info, empty host, bad port) is error::invalid_option.
inline result<url_parts> parse_url(std::string_view url) {
    url_parts u;
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

} // namespace authpp::transport
