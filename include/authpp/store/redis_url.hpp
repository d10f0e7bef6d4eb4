// authpp/store/redis_url.hpp — the Redis URL redis_store connects to:
//
//   redis://[[user]:password@]host[:port][/db]
//   rediss://[[user]:password@]host[:port][/db]     the same over TLS
//   unix://[[user]:password@]/path/to/redis.sock[?db=N]
//   redis-sentinel://[[user]:password@]host[:port][,host[:port]…]/master[/db]
//   rediss-sentinel://…                              the same over TLS
//   redis-cluster://[[user]:password@]host[:port][,host[:port]…][/0]
//   rediss-cluster://…                               the same over TLS
//
// The scheme is case-insensitive; the port defaults to 6379 and the database
// to 0. User and password are percent-decoded (write '@' as %40, ':' in the
// user as %3A, '/' as %2F). A user name means a Redis 6 ACL user
// (`AUTH user password`); a password alone authenticates the default user.
// `rediss://` sets `tls`: what is verified, against which CA, and with which
// client certificate is redis_store's business (redis_store_options::tls);
// the port stays 6379 by default, as redis-cli has it. `user@host` without
// ':' is refused rather than guessed at (clients disagree on whether it
// names a user or a password).
//
// The sentinel forms list the Sentinels (port 26379 by default) to ask for
// the address of the master named `master` (letters, digits, '-', '_', '.');
// user and password are for that master (and, after a failover, for the
// replica promoted in its place), never sent to the Sentinels: Sentinels
// usually run without authentication. rediss-sentinel:// speaks TLS to the
// Sentinels and to the master alike.
//
// The cluster forms list seed nodes of a Redis Cluster (port 6379 by
// default), any of which gives the slot map; the store then connects to
// whichever nodes serve the keys. A cluster has database 0 only: a path
// other than /0 is refused (bad_database). User and password go to every
// node. rediss-cluster:// speaks TLS to every node.
//
// Parsing is strict so that a typo fails at start-up with a message naming
// the part that is wrong, never by connecting somewhere unintended.
#pragma once

#include <authpp/error.hpp>
#include <authpp/store/redis_error.hpp>
#include <authpp/url/percent.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace authpp {

/// A host and port, as the sentinel and cluster forms list them.
struct redis_endpoint {
    std::string host; ///< name or address, an IPv6 address without its brackets
    std::uint16_t port = 26379;
};

struct redis_url {
    enum class kind { tcp, unix_socket };

    kind transport = kind::tcp;
    bool tls = false;           ///< rediss://: tcp with TLS, the certificate verified against `host`
    std::string host;           ///< tcp: name or address, an IPv6 address without its brackets
    std::uint16_t port = 6379;  ///< tcp
    std::string socket_path;    ///< unix_socket
    std::string user;           ///< empty: the default user
    std::string password;       ///< decoded; never printed
    std::int32_t database = 0;
    std::vector<redis_endpoint> sentinels; ///< the sentinel forms (tcp; `host` and `port` unused)
    std::string master_name;               ///< the sentinel forms
    std::vector<redis_endpoint> cluster_nodes; ///< the cluster forms: the seeds (tcp; `host` and `port` unused)

    /// Whether the master is found through Sentinels (the sentinel forms).
    bool sentinel() const noexcept { return !sentinels.empty(); }

    /// Whether this is a Redis Cluster (the cluster forms).
    bool cluster() const noexcept { return !cluster_nodes.empty(); }

    /// Whether connecting sends AUTH (a user or a password was given).
    bool authenticates() const noexcept { return !user.empty() || !password.empty(); }

    /// The URL with the password replaced by "***", for logs and messages.
    std::string redacted() const;
};

/// Parses a Redis URL. Errors are redis_error values naming the bad part.
result<redis_url> parse_redis_url(std::string_view url);

// ---------------------------------------------------------------------------

namespace detail::redis_url_parse {

inline bool iequals_prefix(std::string_view s, std::string_view prefix) noexcept {
    if (s.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != prefix[i]) return false;
    }
    return true;
}

inline bool printable(char c) noexcept { return c > 0x20 && c < 0x7f; }

/// Percent-decodes `in` strictly; raw bytes must be printable ASCII. The
/// leftmost fault is the one reported: the escapes are decoded up to the
/// first non-printable byte (no escape reaches past it: its digits would be
/// printable), and only when they are all well-formed is that byte the error.
inline result<std::string> decode(std::string_view in, redis_error bad_char) {
    const auto raw = std::find_if_not(in.begin(), in.end(), printable);
    auto out = url::percent_decode(in.substr(0, static_cast<std::size_t>(raw - in.begin())));
    if (!out) return make_error_code(redis_error::bad_percent_encoding);
    if (raw != in.end()) return make_error_code(bad_char);
    return std::move(*out);
}

/// Digits only, at most `max`; false for empty, signs, spaces or overflow.
inline bool parse_number(std::string_view s, std::uint32_t max, std::uint32_t& out) noexcept {
    if (s.empty() || s.size() > 10) return false;
    std::uint64_t v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
        v = v * 10 + static_cast<std::uint64_t>(c - '0');
    }
    if (v > max) return false;
    out = static_cast<std::uint32_t>(v);
    return true;
}

inline error_code parse_userinfo(std::string_view info, redis_url& u) {
    if (info.find('@') != std::string_view::npos) return redis_error::bad_userinfo;
    const auto colon = info.find(':');
    if (colon == std::string_view::npos) return redis_error::bad_userinfo;
    auto user = decode(info.substr(0, colon), redis_error::bad_userinfo);
    if (!user) return user.error();
    auto password = decode(info.substr(colon + 1), redis_error::bad_userinfo);
    if (!password) return password.error();
    u.user = std::move(*user);
    u.password = std::move(*password);
    return {};
}

inline bool host_char(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
           c == '_';
}

inline error_code parse_host_port(std::string_view hp, redis_url& u) {
    std::string_view port;
    bool has_port = false;
    if (!hp.empty() && hp.front() == '[') {
        const auto close = hp.find(']');
        if (close == std::string_view::npos || close == 1) return redis_error::bad_host;
        const auto addr = hp.substr(1, close - 1);
        for (char c : addr)
            if (url::hex_value(c) < 0 && c != ':' && c != '.') return redis_error::bad_host;
        if (addr.find(':') == std::string_view::npos) return redis_error::bad_host; // brackets are for IPv6
        u.host = std::string(addr);
        const auto rest = hp.substr(close + 1);
        if (!rest.empty()) {
            if (rest.front() != ':') return redis_error::bad_host;
            port = rest.substr(1);
            has_port = true;
        }
    } else {
        const auto colon = hp.find(':');
        const auto host = hp.substr(0, colon);
        if (host.empty() || host.size() > 253) return redis_error::bad_host;
        for (char c : host)
            if (!host_char(c)) return redis_error::bad_host;
        u.host = std::string(host);
        if (colon != std::string_view::npos) {
            port = hp.substr(colon + 1);
            has_port = true;
        }
    }
    if (has_port) {
        std::uint32_t p = 0;
        if (!parse_number(port, 65535, p) || p == 0) return redis_error::bad_port;
        u.port = static_cast<std::uint16_t>(p);
    }
    return {};
}

inline error_code parse_database(std::string_view digits, redis_url& u) {
    std::uint32_t db = 0;
    if (!parse_number(digits, 2147483647u, db)) return redis_error::bad_database;
    u.database = static_cast<std::int32_t>(db);
    return {};
}

inline error_code parse_tcp(std::string_view rest, redis_url& u) {
    const auto end = rest.find_first_of("/?#");
    const auto authority = rest.substr(0, end);
    const auto tail = end == std::string_view::npos ? std::string_view{} : rest.substr(end);
    std::string_view host_port = authority;
    if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
        if (auto ec = parse_userinfo(authority.substr(0, at), u)) return ec;
        host_port = authority.substr(at + 1);
    }
    if (auto ec = parse_host_port(host_port, u)) return ec;
    if (tail.empty() || tail == "/") return {};
    if (tail.find_first_of("?#") != std::string_view::npos) return redis_error::bad_url_part;
    return parse_database(tail.substr(1), u); // tail starts with '/'
}

/// [[user]:password@]host[:port][,host[:port]…] into `out`, `port` the default.
inline error_code parse_host_list(std::string_view authority, std::uint16_t port, redis_url& u,
                                  std::vector<redis_endpoint>& out) {
    if (authority.find_first_of("?#") != std::string_view::npos) return redis_error::bad_url_part;
    auto hosts = authority;
    if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
        if (auto ec = parse_userinfo(authority.substr(0, at), u)) return ec;
        hosts = authority.substr(at + 1);
    }
    for (;;) {
        const auto comma = hosts.find(',');
        redis_url one;
        one.port = port;
        if (auto ec = parse_host_port(hosts.substr(0, comma), one)) return ec;
        out.push_back({std::move(one.host), one.port});
        if (comma == std::string_view::npos) return {};
        hosts = hosts.substr(comma + 1);
    }
}

/// host[:port][,host[:port]…]/master[/db]; the port defaults to 26379.
inline error_code parse_sentinel(std::string_view rest, redis_url& u) {
    const auto slash = rest.find('/');
    if (auto ec = parse_host_list(rest.substr(0, slash), 26379, u, u.sentinels)) return ec;
    if (slash == std::string_view::npos) return redis_error::bad_master_name;
    auto path = rest.substr(slash + 1);
    if (path.find_first_of("?#") != std::string_view::npos) return redis_error::bad_url_part;
    const auto next = path.find('/');
    const auto name = path.substr(0, next);
    if (name.empty() || name.size() > 255 || !std::all_of(name.begin(), name.end(), host_char))
        return redis_error::bad_master_name;
    u.master_name = std::string(name);
    if (next == std::string_view::npos || next + 1 == path.size()) return {};
    return parse_database(path.substr(next + 1), u);
}

/// host[:port][,host[:port]…][/0]; the port defaults to 6379.
inline error_code parse_cluster(std::string_view rest, redis_url& u) {
    const auto slash = rest.find('/');
    if (auto ec = parse_host_list(rest.substr(0, slash), 6379, u, u.cluster_nodes)) return ec;
    if (slash == std::string_view::npos || slash + 1 == rest.size()) return {};
    const auto path = rest.substr(slash + 1);
    if (path.find_first_of("/?#") != std::string_view::npos) return redis_error::bad_url_part;
    if (auto ec = parse_database(path, u)) return ec;
    return u.database == 0 ? error_code{} : error_code(redis_error::bad_database); // a cluster has db 0 only
}

inline error_code parse_query(std::string_view query, redis_url& u) {
    bool seen_db = false;
    while (!query.empty()) {
        const auto amp = query.find('&');
        const auto param = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        if (!param.starts_with("db=") || seen_db) return redis_error::bad_url_part;
        if (auto ec = parse_database(param.substr(3), u)) return ec;
        seen_db = true;
    }
    return {};
}

inline error_code parse_unix(std::string_view rest, redis_url& u) {
    u.transport = redis_url::kind::unix_socket;
    u.host.clear();
    if (rest.find('#') != std::string_view::npos) return redis_error::bad_url_part;
    const auto slash = rest.find('/');
    if (slash == std::string_view::npos) return redis_error::bad_url_part;
    if (slash != 0) {
        // Only credentials may come before the path: unix://:pw@/path.
        const auto authority = rest.substr(0, slash);
        if (authority.back() != '@') return redis_error::bad_url_part;
        if (auto ec = parse_userinfo(authority.substr(0, authority.size() - 1), u)) return ec;
    }
    const auto after = rest.substr(slash);
    const auto q = after.find('?');
    auto path = decode(after.substr(0, q), redis_error::bad_url_part);
    if (!path) return path.error();
    // The path is handed to the C library as a C string.
    if (path->size() < 2 || path->find('\0') != std::string::npos) return redis_error::bad_url_part;
    u.socket_path = std::move(*path);
    if (q != std::string_view::npos) return parse_query(after.substr(q + 1), u);
    return {};
}

} // namespace detail::redis_url_parse

inline result<redis_url> parse_redis_url(std::string_view url) {
    using namespace detail::redis_url_parse;
    struct form {
        std::string_view scheme;
        bool tls;
        error_code (*parse)(std::string_view rest, redis_url& u);
    };
    static constexpr form forms[] = {
        {"redis://", false, parse_tcp},           {"rediss://", true, parse_tcp},
        {"redis-sentinel://", false, parse_sentinel}, {"rediss-sentinel://", true, parse_sentinel},
        {"redis-cluster://", false, parse_cluster},   {"rediss-cluster://", true, parse_cluster},
        {"unix://", false, parse_unix},
    };
    for (const auto& f : forms) {
        if (!iequals_prefix(url, f.scheme)) continue;
        redis_url u;
        u.tls = f.tls;
        if (auto ec = f.parse(url.substr(f.scheme.size()), u)) return ec;
        return u;
    }
    return make_error_code(redis_error::bad_scheme);
}

inline std::string redis_url::redacted() const {
    std::string out = transport == kind::unix_socket ? "unix://" : tls ? "rediss" : "redis";
    if (transport == kind::tcp) out += sentinel() ? "-sentinel://" : cluster() ? "-cluster://" : "://";
    if (authenticates()) {
        url::percent_encode(out, user, url::is_unreserved);
        out += ":***@";
    }
    auto host_port = [&out](const std::string& host, std::uint16_t port) {
        out += host.find(':') != std::string::npos ? "[" + host + "]" : host;
        out += ":" + std::to_string(port);
    };
    auto host_list = [&](const std::vector<redis_endpoint>& list) {
        for (const auto& e : list) {
            if (&e != &list.front()) out += ",";
            host_port(e.host, e.port);
        }
    };
    if (sentinel()) {
        host_list(sentinels);
        out += "/" + master_name + "/" + std::to_string(database);
    } else if (cluster()) {
        host_list(cluster_nodes);
    } else if (transport == kind::tcp) {
        host_port(host, port);
        out += "/" + std::to_string(database);
    } else {
        url::percent_encode(out, socket_path, [](unsigned char c) { return url::is_unreserved(c) || c == '/'; });
        out += "?db=" + std::to_string(database);
    }
    return out;
}

} // namespace authpp
