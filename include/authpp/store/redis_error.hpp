// authpp/store/redis_error.hpp — what can go wrong between redis_store and a
// Redis server, and in the URL that names the server. Messages never contain
// the URL's password (nor any key or value).
#pragma once

#include <boost/system/error_code.hpp>

#include <string>
#include <type_traits>

namespace authpp {

enum class redis_error {
    // the URL
    bad_scheme = 1,       ///< not redis://, rediss://, unix://, redis-sentinel://, redis-cluster:// or their TLS forms
    bad_userinfo,         ///< user/password part without ':' or with a raw '@'
    bad_percent_encoding, ///< '%' not followed by two hex digits
    bad_host,             ///< empty host, invalid characters, or an unclosed [IPv6]
    bad_port,             ///< not a number in 1..65535
    bad_database,         ///< the database is not a number in 0..2147483647
    bad_url_part,         ///< a query, fragment or path the URL form does not have
    // the TLS options (checked by redis_store::create, files loaded there)
    tls_without_rediss,   ///< CA, certificate or key file given for a URL without TLS (not rediss[-sentinel|-cluster]://)
    tls_ca_file,          ///< the CA file (or the system trust store) could not be loaded
    tls_cert_file,        ///< the client certificate is unreadable or not PEM, or missing beside a key file
    tls_key_file,         ///< the client key is unreadable, not PEM, encrypted, not the certificate's, or missing
    // the server
    unreachable,          ///< could not connect (refused, no route, name not resolved, connect time-out)
    timed_out,            ///< connected, but the server did not answer within the command time-out
    connection_lost,      ///< the connection broke during a command
    auth_failed,          ///< the server refused AUTH, or wants a password the URL does not give
    select_failed,        ///< the server refused SELECT: the database number is out of its range
    server_error,         ///< the server answered a command with an error (out of memory, read-only replica, …)
    protocol_error,       ///< the server's answer was not what the command returns
    // TLS with the server (the store answers as when it is unreachable)
    tls_handshake_failed,       ///< not a TLS server, no protocol or cipher in common, or the handshake broke off
    tls_certificate_untrusted,  ///< the server's certificate does not chain to the trusted CAs, or has expired
    tls_name_mismatch,          ///< the server's certificate does not name the URL's host (name or IP address)
    tls_client_certificate_refused, ///< refused after the handshake: no client certificate, or one it does not trust
    // Sentinel (the sentinel URL forms; added last, so the values above keep their numbers)
    bad_master_name,      ///< a sentinel URL without a master name, or one with characters a name does not have
    sentinel_unreachable, ///< no Sentinel of the URL answered (each refused, timed out or failed TLS)
    master_unknown,       ///< the Sentinels that answered do not know the URL's master name
    not_master,           ///< the node the Sentinels named is not (or no longer) the master: a failover is under way
    // Cluster (the cluster URL forms; added last, as above)
    cluster_down,          ///< CLUSTERDOWN, or no node serves the key's slot: the cluster is failing over or broken
    too_many_redirections, ///< MOVED / ASK redirections went on past the limit (5): the slot map keeps changing
    not_cluster,           ///< a cluster URL names a server with cluster support disabled (use redis://)
    // Sentinel credentials (added last, as above)
    sentinel_auth_without_sentinel, ///< Sentinel credentials set for a URL that is not a sentinel form, or a user without a password
    sentinel_auth_failed,           ///< a Sentinel refused the Sentinel credentials or the question for the master (an ACL), or wants credentials none were given for
};

namespace detail {

class redis_category_impl final : public boost::system::error_category {
public:
    constexpr redis_category_impl() noexcept : boost::system::error_category(0x61757468707072ull) {}

    const char* name() const noexcept override { return "authpp.redis"; }

    std::string message(int ev) const override { return message(ev, nullptr, 0); }

    const char* message(int ev, char*, std::size_t) const noexcept override {
        switch (static_cast<redis_error>(ev)) {
        case redis_error::bad_scheme:
            return "invalid Redis URL: expected redis://[[user]:password@]host[:port][/db], the same with "
                   "rediss:// (TLS), unix://[[user]:password@]/path.sock[?db=N], or "
                   "redis-sentinel://[[user]:password@]host[:port][,host[:port]...]/master[/db], or "
                   "redis-cluster://[[user]:password@]host[:port][,host[:port]...] (rediss-sentinel:// and "
                   "rediss-cluster:// for TLS)";
        case redis_error::bad_userinfo:
            return "invalid Redis URL credentials: write redis://:password@host or redis://user:password@host, "
                   "percent-encoding '@', ':' and '/' in them";
        case redis_error::bad_percent_encoding:
            return "invalid Redis URL: '%' must be followed by two hexadecimal digits";
        case redis_error::bad_host:
            return "invalid Redis URL host: give a host name, an IPv4 address or a bracketed [IPv6] address";
        case redis_error::bad_port:
            return "invalid Redis URL port: expected a number from 1 to 65535";
        case redis_error::bad_database:
            return "invalid Redis database number: expected /N or ?db=N with N from 0 to 2147483647 (a Redis "
                   "Cluster has database 0 only)";
        case redis_error::bad_url_part:
            return "invalid Redis URL: unexpected query, fragment or path (only /db, /master/db for the sentinel "
                   "forms, and ?db=N for unix://)";
        case redis_error::bad_master_name:
            return "invalid Redis Sentinel URL: give the master's name after the Sentinels, as in "
                   "redis-sentinel://host:26379/mymaster[/db], made of letters, digits, '-', '_' and '.'";
        case redis_error::tls_without_rediss:
            return "Redis TLS files (CA, client certificate or key) are set but the URL is not rediss:// (or "
                   "rediss-sentinel://, rediss-cluster://): write rediss:// to connect over TLS, or leave the TLS files unset";
        case redis_error::tls_ca_file:
            return "cannot load the Redis TLS CA file: it is missing, unreadable or holds no PEM certificate "
                   "(with no CA file: the system trust store could not be loaded)";
        case redis_error::tls_cert_file:
            return "cannot load the Redis TLS client certificate: it is unreadable or not PEM, or it is not "
                   "given while a client key is (the two go together)";
        case redis_error::tls_key_file:
            return "cannot load the Redis TLS client key: it is unreadable, not PEM, encrypted with a passphrase "
                   "or not the client certificate's key, or it is not given while a certificate is (the two go "
                   "together)";
        case redis_error::unreachable:
            return "cannot connect to Redis: connection refused, host unreachable, name not resolved or connect "
                   "time-out (is redis-server running at the URL's address?)";
        case redis_error::timed_out:
            return "Redis did not answer within the command time-out";
        case redis_error::connection_lost:
            return "the connection to Redis broke during a command; the next call reconnects";
        case redis_error::auth_failed:
            return "Redis refused the credentials (AUTH), or needs a password the URL does not give: "
                   "check the user and password in the Redis URL";
        case redis_error::select_failed:
            return "Redis refused SELECT: the URL's database number is beyond the server's 'databases' setting";
        case redis_error::server_error:
            return "Redis answered with an error (out of memory, read-only replica, or a command it refuses)";
        case redis_error::protocol_error:
            return "Redis answered with a reply of an unexpected type";
        case redis_error::tls_handshake_failed:
            return "the TLS handshake with Redis failed: the server does not speak TLS on that port, has no "
                   "protocol version (1.2 at least) or cipher in common, or requires a client certificate";
        case redis_error::tls_certificate_untrusted:
            return "the Redis server's TLS certificate failed verification: it does not chain to the CA file (or "
                   "the system trust store), or it has expired; give the CA that signed it";
        case redis_error::tls_name_mismatch:
            return "the Redis server's TLS certificate does not name the host of the URL (a host name must be "
                   "among its DNS names, an IP address among its IP addresses): connect by a name it carries";
        case redis_error::tls_client_certificate_refused:
            return "the Redis server refused the TLS connection after the handshake, as it refuses a client "
                   "certificate: it requires one (give a certificate and key) or does not trust the one given";
        case redis_error::sentinel_unreachable:
            return "no Redis Sentinel of the URL answered (connection refused, time-out or TLS failure with "
                   "each): check the Sentinels' addresses and that they run";
        case redis_error::master_unknown:
            return "the Redis Sentinels do not know the URL's master name: it must be the name given to "
                   "'sentinel monitor' in their configuration";
        case redis_error::not_master:
            return "the Redis node the Sentinels named is not a master (a failover is under way, or the node "
                   "was demoted); the next call asks the Sentinels again";
        case redis_error::cluster_down:
            return "the Redis Cluster does not serve the key's slot (CLUSTERDOWN, or no master for it): a failover "
                   "is under way or the cluster is broken; the slot map is reloaded";
        case redis_error::too_many_redirections:
            return "the Redis Cluster redirected the command (MOVED / ASK) more than 5 times: the slot map keeps "
                   "changing, or two nodes disagree about who serves the slot";
        case redis_error::not_cluster:
            return "the Redis server of the cluster URL has cluster support disabled: use redis:// (or rediss://) "
                   "for a single server";
        case redis_error::sentinel_auth_without_sentinel:
            return "Redis Sentinel credentials are set but the URL is not redis-sentinel:// (or rediss-sentinel://), "
                   "or a Sentinel user is given without a password: leave them unset, or give the password too";
        case redis_error::sentinel_auth_failed:
            return "a Redis Sentinel refused the Sentinel credentials (AUTH) or, by its ACL, that user's question for "
                   "the master, or wants a password none was given for: give the Sentinels' own password (their "
                   "requirepass) and user, apart from the URL's, which are the master's";
        }
        return "unknown authpp.redis error";
    }
};

inline constexpr redis_category_impl redis_category_instance{};

} // namespace detail

inline const boost::system::error_category& redis_category() noexcept { return detail::redis_category_instance; }

inline boost::system::error_code make_error_code(redis_error e) noexcept {
    return {static_cast<int>(e), redis_category()};
}

} // namespace authpp

template <>
struct boost::system::is_error_code_enum<authpp::redis_error> : std::true_type {};
