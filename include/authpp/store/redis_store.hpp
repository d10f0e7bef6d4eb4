// authpp/store/redis_store.hpp — a Store on a Redis server, shared by every
// process that points at it (refresh locks and successor records then work
// across processes, not only across threads). Link authpp::redis (hiredis).
//
//   auto store = authpp::redis_store::create({.url = "redis://:pw@10.0.0.5:6379/2"});
//   if (!store) /* store.error().message() says what is wrong with the URL */;
//
// Commands: get = GET, set = SET PX, erase = DEL, add = SET NX PX, and
// expire_if / erase_if are Lua scripts (compare and PEXPIRE / DEL in one
// atomic step) sent with EVALSHA, falling back to EVAL when the server does
// not know the script (after a restart or SCRIPT FLUSH); the asynchronous
// members send EVAL (see async_script). Keys get the
// `key_prefix`; values are stored as given (binary-safe).
//
// Connections: opened on first use, with AUTH and SELECT pipelined into one
// round trip on every (re)connect; kept in a pool of idle connections, so
// threads use one connection each at a time and never wait for one another's
// round trips (a thread that finds no idle connection opens one; at most
// `max_idle_connections` are kept afterwards). A connection that fails is
// dropped and the next call connects again — that is how the store survives
// a redis-server restart. A failed connect makes calls fail at once for
// `retry_after`, so an unreachable server costs one connect time-out per
// interval rather than one per request.
//
// Failures: the Store members answer as the concept says (absent / false);
// every member has an overload with a trailing `error_code&` that tells
// "unreachable" from "absent" (redis_error values). Nothing throws after
// construction, and no call blocks longer than the connect and command
// time-outs — except the host name lookup, which hiredis does with the
// blocking getaddrinfo: give an address, or rely on a local resolver.
// Errors never contain the password (url() returns the redacted URL).
//
// TLS: `rediss://` connects over TLS, verifying the server's certificate
// always — its chain against `tls.ca_file` (empty: the system trust store),
// and its name against the URL's host (a DNS name, or an IP address against
// the certificate's IP addresses; SNI is sent for a name) — with a client
// certificate when `tls.cert_file` and `tls.key_file` are given. The files
// are loaded by create(), so a wrong path fails there. A failed handshake is
// a redis_error saying which check failed (tls_certificate_untrusted,
// tls_name_mismatch, tls_client_certificate_refused, tls_handshake_failed),
// and the store answers as when the server is unreachable. hiredis 0.14 has
// no TLS, so over rediss:// the blocking members run the asynchronous side's
// link on a private io_context per pooled connection (see
// redis_blocking_link): the scripts are then sent with EVAL, as there.
//
// Sentinel: `redis-sentinel://` (and `rediss-sentinel://`, TLS to the
// Sentinels and the master, verified as above) find the master through the
// Sentinels on every connect and check its ROLE before sending it anything;
// after a failover the store follows the promoted replica (see
// detail/redis_link.hpp). The blocking members run the asynchronous link
// there too, as over rediss://: the Sentinel question, the ROLE check and
// the re-resolving on READONLY are written once, in the link, rather than a
// second time over hiredis's synchronous contexts. Replication is
// asynchronous, so a write the old master acknowledged but had not yet
// passed on is lost in a failover (docs/stores.md says what that means for
// refresh locks and successor records).
//
// Cluster: `redis-cluster://` (and `rediss-cluster://`) name seed nodes;
// the store loads the slot map from them, sends each command to the master
// of its key's slot, and follows MOVED (a slot moved for good: the map is
// updated) and ASK (a slot being migrated) by itself, so a resharding is
// invisible to the caller (detail/redis_cluster.hpp). Every command has
// one key, so none spans slots; the refresh coordinator tags its lock and
// successor keys ({hash}) so that they share one. The blocking members run
// the asynchronous side there as well.
//
// Thread-safe; copies share the pool.
#pragma once

#include <authpp/concepts/store.hpp>
#include <authpp/crypto/sha.hpp>
#include <authpp/detail/post_completion.hpp>
#include <authpp/detail/tls_client.hpp>
#include <authpp/error.hpp>
#include <authpp/store/detail/hiredis.hpp>
#include <authpp/store/detail/redis_link_service.hpp>
#include <authpp/store/redis_error.hpp>
#include <authpp/store/redis_url.hpp>

#include <boost/asio/async_result.hpp>
#include <boost/asio/execution/context.hpp>
#include <boost/asio/query.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/system/system_error.hpp>

#include <openssl/ssl.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace authpp {

/// For rediss:// URLs (with any other URL, setting one is an error). Every
/// file is PEM. The server's certificate is always verified. (The `{}` keep
/// designated initializers such as {.ca_file = …} free of
/// -Wmissing-field-initializers.)
struct redis_tls_options {
    std::string ca_file{};   ///< the CAs the server's certificate must chain to; empty: the system trust store
    std::string cert_file{}; ///< a client certificate (chain), for servers with tls-auth-clients; needs key_file
    std::string key_file{};  ///< its private key, unencrypted
};

struct redis_store_options {
    /// redis://[[user]:password@]host[:port][/db], rediss://… (the same over TLS) or
    /// unix://[[user]:password@]/path.sock[?db=N], or
    /// redis-sentinel://[[user]:password@]host[:port][,host[:port]…]/master[/db] (rediss-sentinel:// for TLS), or
    /// redis-cluster://[[user]:password@]host[:port][,host[:port]…] (rediss-cluster:// for TLS)
    std::string url = "redis://127.0.0.1:6379/0";
    redis_tls_options tls{};
    /// A sentinel URL only: the credentials the Sentinels themselves ask for
    /// (their requirepass, or an ACL user), sent as AUTH before the question
    /// for the master. Empty: none. The URL's credentials are the master's.
    std::string sentinel_user{};
    std::string sentinel_password{};
    /// Prepended to every key, so authpp's keys stay apart from the application's.
    std::string key_prefix = "authpp:";
    std::chrono::milliseconds connect_timeout{500};
    /// For each read and write of a command (SO_RCVTIMEO / SO_SNDTIMEO).
    std::chrono::milliseconds command_timeout{500};
    std::size_t max_idle_connections = 8;
    /// After a failed connect, calls fail at once this long before another connect is tried.
    std::chrono::milliseconds retry_after{100};
};

class redis_store {
public:
    /// Checks the options (the URL; over TLS, loads the files) without connecting.
    static result<redis_store> create(redis_store_options options) {
        auto url = parse_redis_url(options.url);
        if (!url) return url.error();
        if ((!options.sentinel_user.empty() || !options.sentinel_password.empty()) &&
            (!url->sentinel() || options.sentinel_password.empty()))
            return make_error_code(redis_error::sentinel_auth_without_sentinel);
        auto tls = tls_context(*url, options.tls);
        if (!tls) return tls.error();
        return redis_store(std::make_shared<state>(std::move(options), std::move(*url), std::move(*tls)));
    }

    /// As create(), throwing boost::system::system_error on bad options.
    explicit redis_store(redis_store_options options) : redis_store(create(std::move(options)).value()) {}

    // -- the Store concept ---------------------------------------------------

    std::optional<std::string> get(std::string_view key) {
        error_code ec;
        return get(key, ec);
    }
    bool set(std::string_view key, std::string_view value, std::chrono::milliseconds ttl) {
        error_code ec;
        return set(key, value, ttl, ec);
    }
    bool erase(std::string_view key) {
        error_code ec;
        return erase(key, ec);
    }
    bool add(std::string_view key, std::string_view value, std::chrono::milliseconds ttl) {
        error_code ec;
        return add(key, value, ttl, ec);
    }
    bool expire_if(std::string_view key, std::string_view value, std::chrono::milliseconds ttl) {
        error_code ec;
        return expire_if(key, value, ttl, ec);
    }
    bool erase_if(std::string_view key, std::string_view value) {
        error_code ec;
        return erase_if(key, value, ec);
    }

    // -- the same, telling failure from absence --------------------------------
    // `ec` is cleared on an answer from the server (even "absent" / "not
    // stored"), and set to a redis_error when there was none.

    std::optional<std::string> get(std::string_view key, error_code& ec) {
        return state_->command({"GET", prefixed(key)}, ec, &as_value);
    }

    /// A `ttl` of zero or less stores the value already expired: the key is deleted.
    bool set(std::string_view key, std::string_view value, std::chrono::milliseconds ttl, error_code& ec) {
        if (ttl.count() <= 0) return state_->command({"DEL", prefixed(key)}, ec, &as_answered);
        return state_->command({"SET", prefixed(key), value, "PX", std::to_string(ttl.count())}, ec, &as_ok);
    }

    bool erase(std::string_view key, error_code& ec) { return state_->command({"DEL", prefixed(key)}, ec, &as_one); }

    /// A `ttl` below 1 ms counts as 1 ms (Redis refuses PX 0).
    bool add(std::string_view key, std::string_view value, std::chrono::milliseconds ttl, error_code& ec) {
        return state_->command({"SET", prefixed(key), value, "NX", "PX", px_at_least_1(ttl)}, ec, &as_added);
    }

    /// A `ttl` of zero or less ends the lease at once.
    bool expire_if(std::string_view key, std::string_view value, std::chrono::milliseconds ttl, error_code& ec) {
        return state_->script(scripts().expire_if, prefixed(key), {value, std::to_string(ttl.count())}, ec, &as_one);
    }

    bool erase_if(std::string_view key, std::string_view value, error_code& ec) {
        return state_->script(scripts().erase_if, prefixed(key), {value}, ec, &as_one);
    }

    // -- the asynchronous Store (AsyncStore) ------------------------------------
    // The same commands, on one pipelined connection per execution context
    // (<authpp/store/detail/redis_link.hpp>), driven by the Asio reactor:
    // nothing blocks the calling thread. `ex` is the executor of the context
    // to run the I/O on; the handler runs on its own associated executor
    // (default `ex`), never inside the initiating call. Completion
    // signatures: void(error_code, std::optional<std::string>) for get,
    // void(error_code, bool) for the others, with `ec` as in the overloads
    // above. The connection lives as long as that execution context.

    template <class Executor, class Token>
    auto async_get(const Executor& ex, std::string_view key, Token&& token) {
        const auto k = prefixed(key);
        return async_command<std::optional<std::string>>(ex, std::forward<Token>(token),
                                                         detail::format_redis_command({"GET", k}), slot_of(k),
                                                         &as_value);
    }

    template <class Executor, class Token>
    auto async_set(const Executor& ex, std::string_view key, std::string_view value, std::chrono::milliseconds ttl,
                   Token&& token) {
        const auto k = prefixed(key);
        if (ttl.count() <= 0)
            return async_command<bool>(ex, std::forward<Token>(token), detail::format_redis_command({"DEL", k}),
                                       slot_of(k), &as_answered);
        return async_command<bool>(ex, std::forward<Token>(token),
                                   detail::format_redis_command({"SET", k, value, "PX", std::to_string(ttl.count())}),
                                   slot_of(k), &as_ok);
    }

    template <class Executor, class Token>
    auto async_erase(const Executor& ex, std::string_view key, Token&& token) {
        const auto k = prefixed(key);
        return async_command<bool>(ex, std::forward<Token>(token), detail::format_redis_command({"DEL", k}),
                                   slot_of(k), &as_one);
    }

    template <class Executor, class Token>
    auto async_add(const Executor& ex, std::string_view key, std::string_view value, std::chrono::milliseconds ttl,
                   Token&& token) {
        const auto k = prefixed(key);
        return async_command<bool>(ex, std::forward<Token>(token),
                                   detail::format_redis_command({"SET", k, value, "NX", "PX", px_at_least_1(ttl)}),
                                   slot_of(k), &as_added);
    }

    template <class Executor, class Token>
    auto async_expire_if(const Executor& ex, std::string_view key, std::string_view value,
                         std::chrono::milliseconds ttl, Token&& token) {
        return async_script(ex, std::forward<Token>(token), scripts().expire_if, prefixed(key),
                            {value, std::to_string(ttl.count())});
    }

    template <class Executor, class Token>
    auto async_erase_if(const Executor& ex, std::string_view key, std::string_view value, Token&& token) {
        return async_script(ex, std::forward<Token>(token), scripts().erase_if, prefixed(key), {value});
    }

    // -- observing ----------------------------------------------------------

    /// One round trip to the server (connecting first if needed); empty when
    /// it answered. Use it at start-up to fail fast on a wrong URL or password.
    error_code ping() {
        error_code ec;
        state_->command({"PING"}, ec, &as_status);
        return ec;
    }

    /// The URL with its password replaced by "***".
    std::string url() const { return state_->url.redacted(); }

    /// Requests sent and answered (or failed) since construction, over all
    /// copies; a pipelined AUTH + SELECT counts as one.
    std::uint64_t round_trips() const noexcept { return state_->link->round_trips.load(std::memory_order_relaxed); }

    std::size_t idle_connections() const {
        std::lock_guard lock(state_->mutex);
        return state_->over_links() ? state_->idle_links.size() : state_->idle.size();
    }

private:
    using reply = detail::redis_reply;
    template <class T>
    using mapper = T (*)(const redisReply&, error_code&);
    using connection = detail::redis_connection;
    using clock = std::chrono::steady_clock;

    struct lua_script {
        std::string_view source;
        std::string sha1; // hex, as EVALSHA wants it
    };
    struct lua_scripts {
        lua_script expire_if, erase_if;
    };

    static const lua_scripts& scripts() {
        // GET on a missing key is false in Lua, never equal to ARGV[1].
        static constexpr std::string_view expire_if =
            "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end "
            "return 0";
        static constexpr std::string_view erase_if =
            "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";
        static const lua_scripts s{{expire_if, crypto::sha1_hex(expire_if)}, {erase_if, crypto::sha1_hex(erase_if)}};
        return s;
    }

    using blocking_link = std::unique_ptr<detail::redis_blocking_link>;

    struct state {
        redis_store_options options;
        redis_url url;
        mutable std::mutex mutex;
        std::vector<connection> idle;      // guarded by mutex
        std::vector<blocking_link> idle_links; // guarded by mutex; over_links() only, in place of `idle`
        clock::time_point down_until{};    // guarded by mutex
        error_code down_reason;            // guarded by mutex
        std::shared_ptr<detail::redis_link_params> link; // what the asynchronous side shares

        state(redis_store_options o, redis_url u, std::shared_ptr<boost::asio::ssl::context> tls)
            : options(std::move(o)), url(std::move(u)) {
            link = std::make_shared<detail::redis_link_params>();
            link->url = url;
            link->tls = std::move(tls);
            link->connect_timeout = options.connect_timeout;
            link->command_timeout = options.command_timeout;
            link->retry_after = options.retry_after;
            if (!options.sentinel_password.empty())
                link->sentinel_auth = detail::format_redis_auth(options.sentinel_user, options.sentinel_password);
        }

        /// rediss://, the sentinel and the cluster forms: the blocking members
        /// run the asynchronous side (hiredis 0.14 has no TLS, and the
        /// Sentinel and Cluster logic lives there).
        bool over_links() const noexcept { return url.tls || url.sentinel() || url.cluster(); }

        /// The cluster slot of `key` (-1 when not a cluster, or for no key).
        int slot_of(std::string_view key) const noexcept { return url.cluster() ? detail::redis_key_slot(key) : -1; }

        /// One command on a pooled connection, its reply read by `map`.
        template <class T>
        T command(std::initializer_list<std::string_view> args, error_code& ec, mapper<T> map) {
            auto send_args = [&](redisContext& c) { return send(c, args.begin(), args.size(), ec); };
            auto r = over_links() ? over_link(detail::format_redis_command(args),
                                              args.size() > 1 ? slot_of(args.begin()[1]) : -1, ec)
                                  : with_connection(ec, send_args);
            return r ? map(*r, ec) : T{};
        }

        /// EVALSHA, and EVAL on the same connection if the server lost the script.
        bool script(const lua_script& s, std::string_view key, std::initializer_list<std::string_view> argv,
                    error_code& ec, mapper<bool> map) {
            if (over_links()) {
                auto r = over_link(eval_command(s, key, argv), slot_of(key), ec);
                return r ? map(*r, ec) : false;
            }
            std::vector<std::string_view> args{"EVALSHA", s.sha1, "1", key};
            args.insert(args.end(), argv);
            auto r = with_connection(ec, [&](redisContext& c) {
                auto r = send(c, args.data(), args.size(), ec);
                if (r && r->type == REDIS_REPLY_ERROR && std::string_view(r->str, r->len).starts_with("NOSCRIPT")) {
                    ec.clear();
                    args[0] = "EVAL";
                    args[1] = s.source;
                    r = send(c, args.data(), args.size(), ec);
                }
                return r;
            });
            return r ? map(*r, ec) : false;
        }

        template <class Run>
        reply with_connection(error_code& ec, Run run) {
            ec.clear();
            detail::sigpipe_guard guard;
            auto c = acquire(ec);
            if (!c) return nullptr;
            auto r = run(*c);
            // A connection that answered, even with an error, is still in step.
            if (r) release(std::move(c));
            return answer(std::move(r), ec);
        }

        /// One command over rediss:// or a sentinel URL, on a pooled private link. The link
        /// keeps its connection between calls, reconnects by itself, and
        /// remembers a failed connect for retry_after, so it always goes
        /// back to the pool.
        reply over_link(std::string command, int slot, error_code& ec) {
            ec.clear();
            auto l = take_idle(idle_links);
            if (!l) l = std::make_unique<detail::redis_blocking_link>(link);
            auto r = l->run(std::move(command), slot, ec);
            keep_idle(idle_links, std::move(l));
            return answer(std::move(r), ec);
        }

        /// The connection (or link) used last, null when none is idle.
        template <class Pooled>
        Pooled take_idle(std::vector<Pooled>& pool) {
            std::lock_guard lock(mutex);
            if (pool.empty()) return nullptr;
            auto p = std::move(pool.back());
            pool.pop_back();
            return p;
        }

        /// Back to the pool, unless max_idle_connections are there already.
        template <class Pooled>
        void keep_idle(std::vector<Pooled>& pool, Pooled p) {
            std::lock_guard lock(mutex);
            if (pool.size() < options.max_idle_connections) pool.push_back(std::move(p));
        }

        /// Queues a command in the connection's output buffer (no I/O).
        static void append(redisContext& c, const std::string_view* args, std::size_t n) {
            std::vector<const char*> argv(n);
            std::vector<std::size_t> lens(n);
            for (std::size_t i = 0; i < n; ++i) {
                argv[i] = args[i].data();
                lens[i] = args[i].size();
            }
            redisAppendCommandArgv(&c, static_cast<int>(n), argv.data(), lens.data());
        }

        /// Writes what is queued, if anything, and reads one reply.
        static reply receive(redisContext& c, error_code& ec) {
            void* raw = nullptr;
            errno = 0;
            if (redisGetReply(&c, &raw) != REDIS_OK) {
                ec = io_error(c);
                return nullptr;
            }
            return reply(static_cast<redisReply*>(raw));
        }

        reply send(redisContext& c, const std::string_view* args, std::size_t n, error_code& ec) {
            append(c, args, n);
            link->round_trips.fetch_add(1, std::memory_order_relaxed);
            return receive(c, ec);
        }

        static error_code io_error(const redisContext& c) noexcept {
            // A read that hit SO_RCVTIMEO leaves EAGAIN behind.
            if (c.err == REDIS_ERR_IO && (errno == EAGAIN || errno == EWOULDBLOCK || errno == ETIMEDOUT))
                return redis_error::timed_out;
            if (c.err == REDIS_ERR_PROTOCOL) return redis_error::protocol_error;
            return redis_error::connection_lost;
        }

        connection acquire(error_code& ec) {
            while (auto c = take_idle(idle))
                if (detail::idle_connection_usable(*c)) return c; // else closed while idle (restart): the next
            {
                std::lock_guard lock(mutex);
                if (clock::now() < down_until) {
                    ec = down_reason;
                    return nullptr;
                }
            }
            auto c = connect(ec);
            if (ec) {
                std::lock_guard lock(mutex);
                down_until = clock::now() + options.retry_after;
                down_reason = ec;
            }
            return c;
        }

        void release(connection c) { keep_idle(idle, std::move(c)); }

        connection connect(error_code& ec) {
            const auto tv = detail::to_timeval(options.connect_timeout);
            connection c(url.transport == redis_url::kind::tcp
                             ? redisConnectWithTimeout(url.host.c_str(), url.port, tv)
                             : redisConnectUnixWithTimeout(url.socket_path.c_str(), tv));
            if (!c || c->err) {
                ec = redis_error::unreachable;
                return nullptr;
            }
            if (redisSetTimeout(c.get(), detail::to_timeval(options.command_timeout)) != REDIS_OK) {
                ec = redis_error::unreachable;
                return nullptr;
            }
            // AUTH and SELECT in one round trip.
            const auto db = std::to_string(url.database);
            int sent = 0;
            if (url.authenticates()) {
                const auto auth = detail::format_redis_auth(url.user, url.password);
                redisAppendFormattedCommand(c.get(), auth.data(), auth.size());
                ++sent;
            }
            if (url.database != 0) {
                const std::string_view select[] = {"SELECT", db};
                append(*c, select, 2);
                ++sent;
            }
            if (sent == 0) return c;
            link->round_trips.fetch_add(1, std::memory_order_relaxed);
            error_code first;
            for (int i = 0; i < sent; ++i) {
                auto r = receive(*c, ec);
                if (!r) return nullptr;
                // Read every reply; report the first refusal.
                if (r->type == REDIS_REPLY_ERROR && !first) {
                    const bool is_auth = url.authenticates() && i == 0;
                    first = is_auth ? error_code(redis_error::auth_failed) : error_code(redis_error::select_failed);
                    // SELECT after a refused AUTH fails with NOAUTH: still an auth failure.
                    if (!is_auth && detail::redis_reply_error(*r) == redis_error::auth_failed) first = redis_error::auth_failed;
                }
            }
            if (first) {
                ec = first;
                return nullptr;
            }
            return c;
        }
    };

    explicit redis_store(std::shared_ptr<state> s) noexcept : state_(std::move(s)) {}

    /// rediss:// only (null otherwise): the client context, its files loaded
    /// here so that a wrong path fails create() and not the first request.
    static result<std::shared_ptr<boost::asio::ssl::context>> tls_context(const redis_url& url,
                                                                          const redis_tls_options& o) {
        using context_ptr = std::shared_ptr<boost::asio::ssl::context>;
        if (!url.tls) {
            if (!o.ca_file.empty() || !o.cert_file.empty() || !o.key_file.empty())
                return make_error_code(redis_error::tls_without_rediss); // TLS expected, plain text sent
            return context_ptr{};
        }
        error_code ec;
        auto ctx = detail::make_tls_client_context(o.ca_file, /*verify_peer=*/true, ec);
        if (!ctx) return make_error_code(redis_error::tls_ca_file);
        if (o.key_file.empty() && !o.cert_file.empty()) return make_error_code(redis_error::tls_key_file);
        if (o.cert_file.empty() && !o.key_file.empty()) return make_error_code(redis_error::tls_cert_file);
        if (o.cert_file.empty()) return ctx;
        // An encrypted key would make OpenSSL prompt on the terminal: refuse it instead.
        ctx->set_password_callback(
            [](std::size_t, boost::asio::ssl::context::password_purpose) { return std::string(); });
        ctx->use_certificate_chain_file(o.cert_file, ec);
        if (ec) return make_error_code(redis_error::tls_cert_file);
        ctx->use_private_key_file(o.key_file, boost::asio::ssl::context::pem, ec);
        if (ec || SSL_CTX_check_private_key(ctx->native_handle()) != 1)
            return make_error_code(redis_error::tls_key_file);
        return ctx;
    }

    std::string prefixed(std::string_view key) const {
        std::string k;
        k.reserve(state_->options.key_prefix.size() + key.size());
        k.append(state_->options.key_prefix).append(key);
        return k;
    }

    /// The reply, or null with `ec` set when there is none or it is an error
    /// reply. Shared by the blocking and the asynchronous members.
    static reply answer(reply r, error_code& ec) {
        if (r && r->type == REDIS_REPLY_ERROR) {
            ec = detail::redis_reply_error(*r);
            return nullptr;
        }
        return r;
    }

    // How a reply reads as each member's answer; a reply of another type is a
    // protocol error. Shared by the blocking and the asynchronous members.
    static std::optional<std::string> as_value(const redisReply& r, error_code& ec) {
        if (r.type == REDIS_REPLY_STRING) return std::string(r.str, r.len);
        if (r.type != REDIS_REPLY_NIL) ec = redis_error::protocol_error;
        return std::nullopt;
    }
    static bool as_ok(const redisReply& r, error_code& ec) {
        if (r.type == REDIS_REPLY_STATUS && std::string_view(r.str, r.len) == "OK") return true;
        ec = redis_error::protocol_error;
        return false;
    }
    static bool as_added(const redisReply& r, error_code& ec) {
        return r.type != REDIS_REPLY_NIL && as_ok(r, ec); // nil: held by someone
    }
    static bool as_one(const redisReply& r, error_code& ec) {
        if (r.type == REDIS_REPLY_INTEGER) return r.integer == 1;
        ec = redis_error::protocol_error;
        return false;
    }
    static bool as_answered(const redisReply&, error_code&) { return true; }
    static bool as_status(const redisReply& r, error_code& ec) {
        if (r.type == REDIS_REPLY_STATUS) return true;
        ec = redis_error::protocol_error;
        return false;
    }
    static std::string px_at_least_1(std::chrono::milliseconds ttl) {
        return std::to_string(ttl.count() < 1 ? 1 : ttl.count());
    }

    int slot_of(std::string_view key) const noexcept { return state_->slot_of(key); }

    template <class T, class Executor, class Token>
    auto async_command(const Executor& ex, Token&& token, std::string command, int slot, mapper<T> map) {
        return boost::asio::async_initiate<Token, void(error_code, T)>(
            [](auto handler, const std::shared_ptr<state>& st, const Executor& ex, std::string command, int slot,
               mapper<T> map) {
                auto work = detail::handler_work(ex, handler);
                auto deliver = [h = std::move(handler), work = std::move(work), ex,
                                map](error_code ec, detail::redis_reply r) mutable {
                    T v{};
                    if (!ec && (r = answer(std::move(r), ec))) v = map(*r, ec);
                    detail::post_completion(ex, std::move(h), std::move(work), ec, std::move(v));
                };
                auto& ctx = boost::asio::query(ex, boost::asio::execution::context);
                auto channel = boost::asio::use_service<detail::redis_link_service>(ctx).channel(ex, st->link);
                if (!channel) return deliver(redis_error::unreachable, nullptr); // the context is shutting down
                channel->submit(std::move(command), slot, std::move(deliver));
            },
            token, state_, ex, std::move(command), slot, map);
    }

    template <class Executor, class Token>
    auto async_script(const Executor& ex, Token&& token, const lua_script& s, const std::string& key,
                      std::initializer_list<std::string_view> argv) {
        return async_command<bool>(ex, std::forward<Token>(token), eval_command(s, key, argv), slot_of(key), &as_one);
    }

    /// EVAL with the source (about 100 bytes), not EVALSHA, on a link:
    /// commands on a pipelined connection are answered in order, and an
    /// EVALSHA refused with NOSCRIPT would be re-sent behind commands queued
    /// after it.
    static std::string eval_command(const lua_script& s, std::string_view key,
                                    std::initializer_list<std::string_view> argv) {
        std::vector<std::string_view> a{"EVAL", s.source, "1", key};
        a.insert(a.end(), argv);
        return detail::format_redis_command(a);
    }

    std::shared_ptr<state> state_;
};

static_assert(ReportingStore<redis_store>);

} // namespace authpp
