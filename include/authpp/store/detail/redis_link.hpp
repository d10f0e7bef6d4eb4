// authpp/store/detail/redis_link.hpp — redis_store's asynchronous side: one
// pipelined connection per execution context, driven by the Asio reactor.
//
// Why not hiredis's redisAsyncContext: the hiredis Debian ships (0.14) has no
// timers in its asynchronous API (a command to a server that never answers
// would wait forever) and no TLS. The socket, TLS (rediss://: Asio's OpenSSL
// stream, set up as the HTTP transports set theirs, detail/tls_client.hpp),
// the time-outs and the reconnects are Asio's here; the protocol stays
// hiredis's: every reply is parsed by its redisReader. Commands are written
// as RESP arrays of bulk strings (the one request form Redis takes for
// binary data).
//
// A link belongs to an execution context (a redis_link_service holds it and
// closes it when the context shuts down) and to one store (its params). All
// its state lives on its strand. Commands from any thread are queued in
// order, written in batches and answered in order; a command that waits
// longer than the command time-out fails the connection and every command on
// it (the replies are out of step from then on), and the next command
// connects again. Nothing is outstanding on the context while the link is
// idle, so io_context::run() returns when the application's work is done —
// which is also what lets redis_blocking_link (below) run one on a private
// io_context for the blocking members.
//
// With a sentinel URL every connect first asks the Sentinels, in order, for
// the master's address (SENTINEL get-master-addr-by-name, over TLS for
// rediss-sentinel://, bounded by the connect time-out per Sentinel; with
// Sentinel credentials, AUTH goes in the same write); the one that answers
// moves to the front of this link's list, as the Redis sentinel-client
// guidelines ask. The master's ROLE is then checked in the
// AUTH + SELECT round trip, and the commands that waited are sent only once
// it says "master": a node that is not is dropped as a failed connect (calls
// fail with not_master for retry_after, then the Sentinels are asked again).
// Asking again on every connect is what follows a failover: a lost
// connection, a time-out, or a READONLY answer (the node was demoted) closes
// the connection, and the next command finds the promoted master.
#pragma once

#include <authpp/detail/tls_client.hpp>
#include <authpp/error.hpp>
#include <authpp/store/detail/hiredis.hpp>
#include <authpp/store/redis_error.hpp>
#include <authpp/store/redis_url.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/execution_context.hpp>
#include <boost/asio/generic/stream_protocol.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <poll.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace authpp::detail {

/// A move-only callable (the completion handlers it carries are move-only).
template <class Sig>
class unique_callback;
template <class... A>
class unique_callback<void(A...)> {
    struct base {
        virtual ~base() = default;
        virtual void call(A... a) = 0;
    };
    template <class F>
    struct impl final : base {
        explicit impl(F&& x) : f(std::move(x)) {}
        void call(A... a) override { f(std::forward<A>(a)...); }
        F f;
    };
    std::unique_ptr<base> p_;

public:
    unique_callback() = default;
    template <class F>
        requires(!std::is_same_v<std::decay_t<F>, unique_callback>)
    unique_callback(F f) : p_(std::make_unique<impl<F>>(std::move(f))) {}
    explicit operator bool() const noexcept { return static_cast<bool>(p_); }
    /// Calls once; the callable is gone afterwards.
    void operator()(A... a) {
        auto p = std::move(p_);
        p->call(std::forward<A>(a)...);
    }
};

/// A command as Redis reads it: an array of bulk strings.
inline std::string format_redis_command(std::span<const std::string_view> args) {
    std::size_t n = 16;
    for (auto a : args) n += a.size() + 16;
    std::string out;
    out.reserve(n);
    out.append("*").append(std::to_string(args.size())).append("\r\n");
    for (auto a : args) out.append("$").append(std::to_string(a.size())).append("\r\n").append(a).append("\r\n");
    return out;
}
inline std::string format_redis_command(std::initializer_list<std::string_view> args) {
    return format_redis_command(std::span<const std::string_view>(args.begin(), args.size()));
}
/// AUTH as `user`; without a user, AUTH password alone: the default user,
/// and all Redis < 6 knows.
inline std::string format_redis_auth(std::string_view user, std::string_view password) {
    return user.empty() ? format_redis_command({"AUTH", password}) : format_redis_command({"AUTH", user, password});
}

/// What a link needs of its store; shared by the store and its links.
struct redis_link_params {
    redis_url url;
    /// rediss:// only: peer verification on, its CA and client certificate loaded.
    std::shared_ptr<boost::asio::ssl::context> tls;
    std::chrono::milliseconds connect_timeout, command_timeout, retry_after;
    /// Sentinel URLs: the formatted AUTH the Sentinels are sent before the
    /// question for the master; empty: none.
    std::string sentinel_auth;
    /// Requests sent and answered (or failed), blocking and asynchronous;
    /// a pipelined AUTH + SELECT counts as one.
    mutable std::atomic<std::uint64_t> round_trips{0};
};

struct redis_reader_free {
    void operator()(redisReader* r) const noexcept { redisReaderFree(r); }
};

/// A host and port a server named (a Sentinel's master, a cluster's node),
/// checked as the URL's are; false when they are not an address and port.
inline bool parse_redis_endpoint(std::string_view host, std::string_view port, redis_endpoint& out) {
    std::string hp = host.find(':') != std::string_view::npos ? "[" + std::string(host) + "]" : std::string(host);
    hp.append(":").append(port);
    redis_url u;
    if (redis_url_parse::parse_host_port(hp, u)) return false;
    out = {std::move(u.host), u.port};
    return true;
}

inline error_code redis_reply_error(const redisReply& r) noexcept {
    const std::string_view text(r.str, r.len);
    if (text.starts_with("NOAUTH") || text.starts_with("WRONGPASS")) return redis_error::auth_failed;
    return redis_error::server_error;
}

/// Where redis_store's asynchronous members send their commands: one
/// connection (redis_link), or the nodes of a Redis Cluster
/// (redis_cluster, <authpp/store/detail/redis_cluster.hpp>).
class redis_channel {
public:
    /// Called on the channel's strand with the reply, or with the failure and null.
    using callback = unique_callback<void(error_code, redis_reply)>;

    virtual ~redis_channel() = default;
    /// Queues `command` (format_redis_command) for the key slot `slot`
    /// (redis_key_slot; -1: a command without a key, which any node may
    /// answer). Commands of one slot are answered in the order they were
    /// queued; `done` runs on the channel's strand, never inside submit().
    virtual void submit(std::string command, int slot, callback done) = 0;
    /// The context is going away: close, and drop what waits uncalled.
    virtual void shutdown() noexcept = 0;
};

using redis_strand = boost::asio::strand<boost::asio::any_io_executor>;

class redis_link final : public redis_channel, public std::enable_shared_from_this<redis_link> {
public:
    using clock = std::chrono::steady_clock;

    /// The URL's server (or, for a sentinel URL, the master the Sentinels name).
    redis_link(const boost::asio::any_io_executor& ex, std::shared_ptr<const redis_link_params> p)
        : redis_link(boost::asio::make_strand(ex), std::move(p), std::nullopt) {}

    /// A node of a cluster at `node`, on the cluster's strand.
    redis_link(redis_strand strand, std::shared_ptr<const redis_link_params> p, std::optional<redis_endpoint> node)
        : strand_(std::move(strand)), p_(std::move(p)), resolver_(strand_), timer_(strand_),
          sentinels_(p_->url.sentinels), node_(std::move(node)) {}

    /// A link answers every slot.
    void submit(std::string command, int, callback done) override {
        boost::asio::post(strand_, [self = shared_from_this(), c = std::move(command), d = std::move(done)]() mutable {
            self->dispatch(std::move(c), std::move(d));
        });
    }

    /// submit() from the link's strand: queued at once. `counted`: whether
    /// it is a request of its own in round_trips (not a cluster's ASKING,
    /// which rides with the command behind it).
    void dispatch(std::string command, callback done, bool counted = true) {
        pending p{std::move(command), std::move(done), {}};
        p.uncounted = !counted;
        enqueue(std::move(p));
    }

    void shutdown() noexcept override {
        stopped_ = true;
        close();
        waiting_.clear();
        queue_.clear();
    }

private:
    struct pending {
        std::string command;
        callback done;
        clock::time_point deadline;
        bool handshake = false; // AUTH / SELECT / ROLE: a refusal fails the link
        bool auth = false;
        bool role = false; // sentinel URLs: ROLE, which must say "master"
        bool uncounted = false;
    };
    /// One connection: what its outstanding operations use lives here, so a
    /// failed connection's late completions touch nothing of the next one.
    struct connection {
        using socket_type = boost::asio::generic::stream_protocol::socket;
        connection(const boost::asio::strand<boost::asio::any_io_executor>& s, boost::asio::ssl::context* tls_context)
            : socket(s) {
            if (tls_context) tls.emplace(socket, *tls_context);
        }
        /// Reads and writes go through TLS when there is one; `socket` is
        /// still what connects, closes and is polled.
        template <class F>
        void with_stream(F&& f) {
            if (tls) f(*tls);
            else f(socket);
        }
        socket_type socket;
        std::optional<boost::asio::ssl::stream<socket_type&>> tls; // after `socket`: gone before it
        std::unique_ptr<redisReader, redis_reader_free> reader{redisReaderCreate()};
        std::string writing;
        std::array<char, 16384> in{};
        bool reading = false, write_busy = false, tcp = false;
        bool answered = false; // a reply came: TLS is set up, whatever the server thought of our certificate
    };
    enum class phase { down, connecting, ready };

    void enqueue(pending p) {
        if (stopped_) return;
        if (phase_ == phase::ready && queue_.empty() && !usable()) close(); // closed while idle (restart)
        switch (phase_) {
        case phase::ready:
            if (verifying_) return waiting_.push_back(std::move(p)); // not before ROLE said "master"
            return send(std::move(p));
        case phase::connecting: waiting_.push_back(std::move(p)); return;
        case phase::down:
            if (clock::now() < down_until_) return p.done(down_reason_, nullptr);
            waiting_.push_back(std::move(p));
            return connect();
        }
    }

    bool usable() noexcept {
        pollfd pf{c_->socket.native_handle(), POLLIN, 0};
        return ::poll(&pf, 1, 0) == 0;
    }

    void send(pending p) {
        p.deadline = clock::now() + p_->command_timeout;
        out_ += p.command;
        if (!p.handshake && !p.uncounted) p_->round_trips.fetch_add(1, std::memory_order_relaxed);
        queue_.push_back(std::move(p));
        flush();
        read();
        arm();
    }

    // -- connecting --------------------------------------------------------

    void connect() {
        phase_ = phase::connecting;
        if (p_->url.sentinel()) {
            resolve_error_ = redis_error::sentinel_unreachable;
            return ask_sentinel(0);
        }
        open(node_ ? *node_ : redis_endpoint{p_->url.host, p_->url.port});
    }

    /// Connects to `target` (tcp) or to the URL's socket, TLS included,
    /// all within the connect time-out; then established().
    void open(redis_endpoint target) {
        target_ = std::move(target);
        c_ = std::make_shared<connection>(strand_, p_->tls.get());
        timer_.expires_after(p_->connect_timeout);
        timer_.async_wait([self = shared_from_this(), c = c_](error_code ec) {
            if (ec || c != self->c_ || self->phase_ != phase::connecting) return;
            self->connect_failed(redis_error::unreachable); // the time-out
        });
        const auto& u = p_->url;
        if (u.transport != redis_url::kind::tcp) {
            const boost::asio::generic::stream_protocol::endpoint ep(
                boost::asio::local::stream_protocol::endpoint(u.socket_path));
            return c_->socket.async_connect(ep, [self = shared_from_this(), c = c_](error_code ec) {
                if (c == self->c_) self->connected(ec);
            });
        }
        c_->tcp = true;
        error_code ec;
        const auto addr = boost::asio::ip::make_address(target_.host, ec);
        if (!ec) return try_endpoints({boost::asio::ip::tcp::endpoint(addr, target_.port)}, 0);
        resolver_.async_resolve(target_.host, std::to_string(target_.port),
                                [self = shared_from_this(), c = c_](error_code ec,
                                                                    boost::asio::ip::tcp::resolver::results_type rs) {
                                    if (c != self->c_) return;
                                    if (ec || rs.empty()) return self->connect_failed(redis_error::unreachable);
                                    std::vector<boost::asio::ip::tcp::endpoint> eps;
                                    for (const auto& e : rs) eps.push_back(e.endpoint());
                                    self->try_endpoints(std::move(eps), 0);
                                });
    }

    void try_endpoints(std::vector<boost::asio::ip::tcp::endpoint> eps, std::size_t i) {
        error_code ignored;
        c_->socket.close(ignored);
        const boost::asio::generic::stream_protocol::endpoint ep(eps[i]);
        c_->socket.async_connect(ep, [self = shared_from_this(), c = c_, eps = std::move(eps), i](error_code ec) mutable {
            if (c != self->c_) return;
            if (ec && i + 1 < eps.size() && self->phase_ == phase::connecting)
                return self->try_endpoints(std::move(eps), i + 1);
            self->connected(ec);
        });
    }

    void connected(error_code ec) {
        if (phase_ != phase::connecting) return;
        if (ec || !c_->reader) return connect_failed(redis_error::unreachable);
        if (c_->tcp) {
            const int one = 1;
            ::setsockopt(c_->socket.native_handle(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        }
        if (c_->tls) return handshake();
        established();
    }

    void established() {
        if (resolving_) return query_sentinel();
        ready();
    }

    /// Still within the connect time-out: a server that accepts and never
    /// finishes the handshake is unreachable, not a hang.
    void handshake() {
        if (!set_tls_peer_name(c_->tls->native_handle(), target_.host, /*verify=*/true))
            return connect_failed(redis_error::tls_handshake_failed);
        auto done = [self = shared_from_this(), c = c_](error_code ec) {
            if (c != self->c_ || self->phase_ != phase::connecting) return;
            if (ec) return self->connect_failed(self->tls_failure(ec));
            self->established();
        };
        c_->tls->async_handshake(boost::asio::ssl::stream_base::client, std::move(done));
    }

    /// OpenSSL's own verdict on a failed TLS exchange: the certificate check
    /// first (which part failed), then the alert the server sent. Never its
    /// text: that could quote the certificate, and the codes say enough.
    error_code tls_failure(const error_code& ec) const {
        const long verdict = SSL_get_verify_result(c_->tls->native_handle());
        if (verdict == X509_V_ERR_HOSTNAME_MISMATCH || verdict == X509_V_ERR_IP_ADDRESS_MISMATCH)
            return redis_error::tls_name_mismatch;
        if (verdict != X509_V_OK) return redis_error::tls_certificate_untrusted;
        if (ec.category() == boost::asio::error::get_ssl_category()) {
            switch (ERR_GET_REASON(static_cast<unsigned long>(ec.value()))) {
            case SSL_R_TLSV13_ALERT_CERTIFICATE_REQUIRED:
            case SSL_R_SSLV3_ALERT_BAD_CERTIFICATE:
            case SSL_R_SSLV3_ALERT_CERTIFICATE_UNKNOWN:
            case SSL_R_SSLV3_ALERT_CERTIFICATE_EXPIRED:
            case SSL_R_SSLV3_ALERT_CERTIFICATE_REVOKED:
            case SSL_R_SSLV3_ALERT_UNSUPPORTED_CERTIFICATE:
            case SSL_R_TLSV1_ALERT_UNKNOWN_CA:
            case SSL_R_TLSV1_ALERT_ACCESS_DENIED:
                return redis_error::tls_client_certificate_refused;
            default: break;
            }
        }
        return redis_error::tls_handshake_failed;
    }

    /// A failed read or write. With TLS 1.3 the client's handshake ends
    /// before the server has checked the client certificate, so a refusal
    /// comes after it: as an alert on the first read, or — when the server
    /// closed with our first command unread, which resets the connection
    /// and can discard the alert — as the connection ending before any
    /// reply. Either way the connection could not be set up (the server is
    /// down for us until retry_after), rather than lost mid-command.
    void io_failed(const error_code& ec) {
        if (!c_->tls || c_->answered) return fail(redis_error::connection_lost);
        connect_failed(tls_failure_before_answer(ec));
    }

    /// A TLS connection that broke before its first answer: the server
    /// refused the client certificate, unless OpenSSL knows better.
    error_code tls_failure_before_answer(const error_code& ec) const {
        const auto e = tls_failure(ec);
        return e == redis_error::tls_handshake_failed ? error_code(redis_error::tls_client_certificate_refused) : e;
    }

    /// Why asking a Sentinel broke off: over TLS as for a node (TLS 1.3
    /// delivers a refused client certificate here), else unreachable.
    error_code sentinel_io_failure(const error_code& ec) const {
        return c_->tls ? tls_failure_before_answer(ec) : error_code(redis_error::sentinel_unreachable);
    }

    void ready() {
        timer_.cancel();
        phase_ = phase::ready;
        // AUTH, SELECT and ROLE go first, pipelined with what waited: one round trip.
        const auto& u = p_->url;
        bool counted = false;
        auto handshake = [&](std::string cmd, bool auth, bool role) {
            pending p{std::move(cmd), callback([](error_code, redis_reply) {}), {}, true, auth, role};
            if (!counted) p_->round_trips.fetch_add(1, std::memory_order_relaxed);
            counted = true;
            send(std::move(p));
        };
        if (u.authenticates()) handshake(format_redis_auth(u.user, u.password), true, false);
        if (u.database != 0) handshake(format_redis_command({"SELECT", std::to_string(u.database)}), false, false);
        if (u.sentinel()) {
            // Nothing goes to a node before it has said it is the master:
            // what waits is sent when ROLE's answer is in (role_answered).
            verifying_ = true;
            return handshake(format_redis_command({"ROLE"}), false, true);
        }
        send_waiting();
    }

    void send_waiting() {
        auto w = std::move(waiting_);
        waiting_.clear();
        for (auto& p : w) send(std::move(p));
    }

    // -- asking the Sentinels ------------------------------------------------

    void ask_sentinel(std::size_t i) {
        resolving_ = i < sentinels_.size();
        if (!resolving_) return connect_failed(resolve_error_);
        asking_ = i;
        open(sentinels_[i]);
    }

    /// This Sentinel did not give the master's address: the next one is asked.
    /// The error reported when none does: master_unknown if one of them said
    /// so, else the first that is not a plain connect failure (a TLS check).
    void next_sentinel(error_code ec) {
        if (ec == redis_error::master_unknown ||
            (resolve_error_ == redis_error::sentinel_unreachable && ec != redis_error::unreachable))
            resolve_error_ = ec;
        close();
        phase_ = phase::connecting;
        ask_sentinel(asking_ + 1);
    }

    /// Within the connect time-out that is still running; AUTH and the
    /// question in one write, so one round trip.
    void query_sentinel() {
        p_->round_trips.fetch_add(1, std::memory_order_relaxed);
        sentinel_auth_pending_ = !p_->sentinel_auth.empty();
        c_->writing = p_->sentinel_auth;
        c_->writing += format_redis_command({"SENTINEL", "get-master-addr-by-name", p_->url.master_name});
        auto done = [self = shared_from_this(), c = c_](error_code ec, std::size_t) {
            if (c != self->c_ || self->phase_ != phase::connecting) return;
            if (ec) return self->next_sentinel(self->sentinel_io_failure(ec));
            self->read_sentinel();
        };
        c_->with_stream(
            [&](auto& s) { boost::asio::async_write(s, boost::asio::buffer(c_->writing), std::move(done)); });
    }

    void read_sentinel() {
        auto done = [self = shared_from_this(), c = c_](error_code ec, std::size_t n) {
            if (c != self->c_ || self->phase_ != phase::connecting) return;
            if (ec) return self->next_sentinel(self->sentinel_io_failure(ec));
            if (redisReaderFeed(c->reader.get(), c->in.data(), n) != REDIS_OK)
                return self->next_sentinel(redis_error::protocol_error);
            self->take_sentinel_replies();
        };
        c_->with_stream([&](auto& s) { s.async_read_some(boost::asio::buffer(c_->in), std::move(done)); });
    }

    /// AUTH's answer (when sent), then the question's; both may be in one read.
    void take_sentinel_replies() {
        for (;;) {
            void* raw = nullptr;
            if (redisReaderGetReply(c_->reader.get(), &raw) != REDIS_OK)
                return next_sentinel(redis_error::protocol_error);
            if (!raw) return read_sentinel();
            redis_reply r(static_cast<redisReply*>(raw));
            if (!sentinel_auth_pending_) return sentinel_answered(std::move(r));
            sentinel_auth_pending_ = false;
            if (r->type == REDIS_REPLY_ERROR) return next_sentinel(redis_error::sentinel_auth_failed);
        }
    }

    /// [host, port] of the master, nil for a name the Sentinel does not monitor.
    void sentinel_answered(redis_reply r) {
        if (r->type == REDIS_REPLY_NIL) return next_sentinel(redis_error::master_unknown);
        // NOAUTH: the Sentinel has a requirepass and no Sentinel password was
        // given; NOPERM: the Sentinel user may not ask for the master.
        if (r->type == REDIS_REPLY_ERROR && (redis_reply_error(*r) == redis_error::auth_failed ||
                                             std::string_view(r->str, r->len).starts_with("NOPERM")))
            return next_sentinel(redis_error::sentinel_auth_failed);
        const auto string_at = [&](std::size_t i) {
            return r->element[i]->type == REDIS_REPLY_STRING ? std::string_view(r->element[i]->str, r->element[i]->len)
                                                             : std::string_view{};
        };
        if (r->type != REDIS_REPLY_ARRAY || r->elements != 2) return next_sentinel(redis_error::protocol_error);
        redis_endpoint master;
        if (string_at(0).empty() || !parse_redis_endpoint(string_at(0), string_at(1), master))
            return next_sentinel(redis_error::protocol_error);
        std::rotate(sentinels_.begin(), sentinels_.begin() + static_cast<std::ptrdiff_t>(asking_),
                    sentinels_.begin() + static_cast<std::ptrdiff_t>(asking_) + 1);
        resolving_ = false;
        close();
        phase_ = phase::connecting;
        open(std::move(master));
    }

    /// ROLE's answer: an array whose first element is the role.
    void role_answered(const redisReply& r) {
        if (r.type == REDIS_REPLY_ERROR) return connect_failed(redis_reply_error(r));
        if (r.type != REDIS_REPLY_ARRAY || r.elements == 0 || r.element[0]->type != REDIS_REPLY_STRING ||
            std::string_view(r.element[0]->str, r.element[0]->len) != "master")
            return connect_failed(redis_error::not_master);
        verifying_ = false;
        send_waiting();
    }

    void connect_failed(error_code ec) {
        if (resolving_) return next_sentinel(ec);
        down_until_ = clock::now() + p_->retry_after;
        down_reason_ = ec;
        fail(ec);
    }

    // -- the connection ----------------------------------------------------

    void flush() {
        if (!c_ || c_->write_busy || out_.empty()) return;
        c_->write_busy = true;
        c_->writing.swap(out_);
        out_.clear();
        auto done = [self = shared_from_this(), c = c_](error_code ec, std::size_t) {
            if (c != self->c_) return;
            c->write_busy = false;
            c->writing.clear();
            if (ec) return self->io_failed(ec);
            self->flush();
        };
        c_->with_stream(
            [&](auto& s) { boost::asio::async_write(s, boost::asio::buffer(c_->writing), std::move(done)); });
    }

    void read() {
        if (!c_ || c_->reading || queue_.empty()) return;
        c_->reading = true;
        auto done = [self = shared_from_this(), c = c_](error_code ec, std::size_t n) {
            if (c != self->c_) return;
            c->reading = false;
            if (ec) return self->io_failed(ec);
            self->received(n);
        };
        c_->with_stream([&](auto& s) { s.async_read_some(boost::asio::buffer(c_->in), std::move(done)); });
    }

    void received(std::size_t n) {
        auto c = c_;
        if (redisReaderFeed(c->reader.get(), c->in.data(), n) != REDIS_OK) return fail(redis_error::protocol_error);
        for (;;) {
            void* raw = nullptr;
            if (redisReaderGetReply(c->reader.get(), &raw) != REDIS_OK) return fail(redis_error::protocol_error);
            if (!raw) break;
            redis_reply r(static_cast<redisReply*>(raw));
            c->answered = true;
            if (queue_.empty()) return fail(redis_error::protocol_error); // a reply nobody asked for
            auto p = std::move(queue_.front());
            queue_.pop_front();
            answered(std::move(p), std::move(r));
            if (c != c_) return; // the answer failed the connection (a refused AUTH)
        }
        read();
        arm();
    }

    void answered(pending p, redis_reply r) {
        if (p.role) return role_answered(*r);
        if (p.handshake) {
            if (r->type != REDIS_REPLY_ERROR) return;
            // SELECT after a refused AUTH fails with NOAUTH: still an auth failure.
            const auto e = p.auth || redis_reply_error(*r) == redis_error::auth_failed
                               ? error_code(redis_error::auth_failed)
                               : error_code(redis_error::select_failed);
            return connect_failed(e);
        }
        if (p_->url.sentinel() && r->type == REDIS_REPLY_ERROR &&
            std::string_view(r->str, r->len).starts_with("READONLY")) {
            // Demoted by a failover: the next command asks the Sentinels again.
            p.done(redis_error::not_master, nullptr);
            return fail(redis_error::not_master);
        }
        p.done({}, std::move(r));
    }

    /// One timer for the oldest command's deadline while any is outstanding.
    void arm() {
        if (queue_.empty() || phase_ != phase::ready) {
            timer_.cancel();
            timer_armed_ = false;
            return;
        }
        const auto deadline = queue_.front().deadline;
        if (armed_for_ == deadline && timer_armed_) return;
        armed_for_ = deadline;
        timer_armed_ = true;
        timer_.expires_at(deadline);
        timer_.async_wait([self = shared_from_this(), c = c_, deadline](error_code ec) {
            if (ec || c != self->c_ || self->armed_for_ != deadline) return;
            self->timer_armed_ = false;
            if (!self->queue_.empty() && self->queue_.front().deadline <= clock::now())
                return self->fail(redis_error::timed_out);
            self->arm();
        });
    }

    void close() noexcept {
        if (c_) {
            error_code ignored;
            c_->socket.close(ignored);
            c_.reset();
        }
        resolver_.cancel();
        timer_.cancel();
        timer_armed_ = false;
        out_.clear();
        phase_ = phase::down;
        verifying_ = false;
    }

    /// The connection is out of step: every command on it or waiting for it fails.
    void fail(error_code ec) {
        close();
        auto q = std::move(queue_);
        auto w = std::move(waiting_);
        queue_.clear();
        waiting_.clear();
        for (auto& p : q)
            if (!p.handshake) p.done(ec, nullptr);
        for (auto& p : w) p.done(ec, nullptr);
    }

    redis_strand strand_;
    std::shared_ptr<const redis_link_params> p_;
    boost::asio::ip::tcp::resolver resolver_;
    boost::asio::steady_timer timer_;
    std::shared_ptr<connection> c_;
    phase phase_ = phase::down;
    std::string out_;
    std::deque<pending> queue_;   // sent, awaiting replies in order
    std::deque<pending> waiting_; // waiting for the connection
    clock::time_point down_until_{};
    error_code down_reason_;
    clock::time_point armed_for_{};
    bool timer_armed_ = false;
    bool stopped_ = false;
    // sentinel URLs
    std::vector<redis_endpoint> sentinels_; // the one that answered last first
    redis_endpoint target_;                 // what open() connects to
    std::size_t asking_ = 0;
    bool resolving_ = false;                // connected or connecting to sentinels_[asking_]
    bool sentinel_auth_pending_ = false;    // AUTH's answer from that Sentinel is still to come
    bool verifying_ = false;                // ROLE sent, its answer not in
    error_code resolve_error_;
    std::optional<redis_endpoint> node_; // a cluster's node: connects there, not to the URL's host
};

} // namespace authpp::detail
