// authpp/transport/detail/exchange.hpp — one HTTP/1.1 exchange as an Asio
// composed operation, written once for both transports.
//
//   take a pooled connection, or resolve → connect → (TLS handshake)
//   → write the request → read the answer → pool the connection again
//
// A pooled connection the server closed while it sat idle is found before
// anything is written on it (connection_pool::take peeks at the socket) and
// replaced. If a reused connection still fails, the exchange starts over
// once on a fresh connection only when that cannot repeat an action: nothing
// was written yet, or the method is idempotent (RFC 9110 §9.2.2). A POST —
// a refresh-token grant — that was written is never re-sent: with rotation
// the provider would see the old refresh token twice and revoke the grant;
// its failure is reported (a transient refresh failure) instead. Redirects
// are never followed: a 3xx is returned as the response.
#pragma once

#include <authpp/detail/tls_client.hpp>
#include <authpp/http/message.hpp>
#include <authpp/transport/detail/connection.hpp>
#include <authpp/transport/transport_options.hpp>
#include <authpp/url/url.hpp>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace authpp::transport::detail {

namespace bhttp = boost::beast::http;
using clock = std::chrono::steady_clock;

/// What every copy of a transport shares: its options, TLS context and pool.
struct shared_state {
    transport_options options;
    std::shared_ptr<net::ssl::context> ssl; ///< null until the first https:// request
    std::once_flag ssl_once;
    error_code ssl_error;                   ///< set when the CA file could not be loaded
    connection_pool pool;

    explicit shared_state(transport_options o) : options(std::move(o)) {}

    /// The client TLS context: peer verification on, against the system
    /// trust store or the configured CA file; TLS 1.2 at least.
    net::ssl::context* tls_context(error_code& ec) {
        std::call_once(ssl_once, [this] {
            boost::system::error_code e;
            ssl = authpp::detail::make_tls_client_context(options.ca_file, options.verify_peer, e);
            if (e) ssl_error = error::invalid_option; // no path or OpenSSL text: the file name is the user's
        });
        ec = ssl_error;
        return ssl.get();
    }
};

/// SNI and host-name (or IP address) verification, checked by OpenSSL
/// itself while it verifies the chain.
inline bool prepare_tls(beast::ssl_stream<beast::tcp_stream>& s, const std::string& host, bool verify) {
    return authpp::detail::set_tls_peer_name(s.native_handle(), host, verify);
}

inline bhttp::request<bhttp::string_body> to_beast(const http::request& r, const url::http_url& u,
                                                    const transport_options& o, error_code& ec) {
    bhttp::request<bhttp::string_body> out;
    const auto verb = bhttp::string_to_verb(r.method);
    if (verb == bhttp::verb::unknown) {
        ec = error::invalid_option;
        return out;
    }
    out.method(verb);
    out.target(u.target);
    out.version(11);
    out.set(bhttp::field::host, u.host_header());
    out.set(bhttp::field::user_agent, o.user_agent);
    for (const auto& [k, v] : r.headers) {
        // Header injection: a name or value with CR/LF would end the header early.
        if (k.empty() || k.find_first_of("\r\n:") != std::string::npos || v.find_first_of("\r\n") != std::string::npos) {
            ec = error::invalid_option;
            return out;
        }
        out.set(k, v);
    }
    out.keep_alive(true);
    out.body() = r.body;
    if (!r.body.empty() || verb == bhttp::verb::post || verb == bhttp::verb::put) out.prepare_payload();
    return out;
}

inline http::response from_beast(bhttp::response<bhttp::string_body>&& r) {
    http::response out;
    out.status = static_cast<int>(r.result_int());
    out.headers.reserve(8);
    for (const auto& f : r) out.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    out.body = std::move(r.body());
    return out;
}

/// True for the failures a server's closing of an idle kept-alive
/// connection produces.
inline bool stale_connection_error(const error_code& ec) {
    return ec == bhttp::error::end_of_stream || ec == net::error::eof || ec == net::error::connection_reset ||
           ec == net::error::broken_pipe || ec == net::error::connection_aborted || ec == net::ssl::error::stream_truncated;
}

class exchange_op {
public:
    /// `conn` is a pooled connection or null; new connections are made on
    /// `ex`, owning `own` (the blocking transport's per-connection context).
    exchange_op(std::shared_ptr<shared_state> st, const http::request& req, std::unique_ptr<connection> conn,
                net::any_io_executor ex, std::shared_ptr<net::io_context> own)
        : s_(std::make_unique<state>()) {
        s_->st = std::move(st);
        s_->ex = std::move(ex);
        s_->own = std::move(own);
        s_->conn = std::move(conn);
        s_->reused = s_->conn != nullptr;
        s_->deadline = clock::now() + s_->st->options.request_timeout;
        auto u = url::parse_http_url(req.url);
        if (!u) {
            s_->early = u.error();
            return;
        }
        s_->url = std::move(*u);
        s_->req = to_beast(req, s_->url, s_->st->options, s_->early);
    }

    template <class Self>
    void operator()(Self& self) {
        if (s_->early) return post_complete(self, s_->early);
        if (!s_->conn && !s_->own) {
            // The Asio transport takes from its pool only now, when the
            // operation starts (a deferred one may start late, or never).
            s_->conn = s_->st->pool.take(s_->url.origin(), s_->st->options.idle_timeout);
            s_->reused = s_->conn != nullptr;
            s_->deadline = clock::now() + s_->st->options.request_timeout;
        }
        if (s_->conn) return write(self);
        connect(self);
    }

    template <class Self>
    void operator()(Self& self, error_code ec, const net::ip::tcp::resolver::results_type& results) {
        if (ec) return complete(self, ec);
        auto& low = s_->conn->lowest();
        low.expires_at(std::min(s_->deadline, clock::now() + s_->st->options.connect_timeout));
        s_->at = step::connect;
        low.async_connect(results, std::move(self));
    }

    template <class Self>
    void operator()(Self& self, error_code ec, const net::ip::tcp::endpoint&) {
        if (ec) return complete(self, ec);
        if (!s_->conn->tls) return write(self);
        if (!prepare_tls(*s_->conn->tls, s_->url.host, s_->st->options.verify_peer))
            return complete(self, error::invalid_option);
        s_->at = step::handshake;
        s_->conn->tls->async_handshake(net::ssl::stream_base::client, std::move(self));
    }

    template <class Self>
    void operator()(Self& self, error_code ec, std::size_t n = 0) {
        switch (s_->at) {
        case step::handshake:
            if (ec) return complete(self, ec);
            return write(self);
        case step::write:
            if (ec) return retry_or_complete(self, ec, /*written=*/n != 0);
            s_->at = step::read;
            s_->parser.emplace();
            s_->parser->header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(s_->st->options.max_response_bytes, 64 * 1024)));
            s_->parser->body_limit(s_->st->options.max_response_bytes);
            if (s_->req.method() == bhttp::verb::head) s_->parser->skip(true);
            if (s_->conn->tls) bhttp::async_read(*s_->conn->tls, s_->buffer, *s_->parser, std::move(self));
            else bhttp::async_read(*s_->conn->plain, s_->buffer, *s_->parser, std::move(self));
            return;
        case step::read:
            if (ec) {
                if (!s_->parser->got_some()) return retry_or_complete(self, ec, /*written=*/true);
                return complete(self, ec);
            }
            return finish(self);
        default:
            return complete(self, ec ? ec : error_code(error::invalid_option));
        }
    }

private:
    enum class step { start, resolve, connect, handshake, write, read };

    struct state {
        std::shared_ptr<shared_state> st;
        net::any_io_executor ex;
        std::shared_ptr<net::io_context> own;
        std::unique_ptr<connection> conn;
        bool reused = false;
        clock::time_point deadline;
        url::http_url url;
        bhttp::request<bhttp::string_body> req;
        std::optional<bhttp::response_parser<bhttp::string_body>> parser;
        beast::flat_buffer buffer;
        std::optional<net::ip::tcp::resolver> resolver;
        error_code early;
        step at = step::start;
    };

    template <class Self>
    void connect(Self& self) {
        net::ssl::context* ctx = nullptr;
        if (s_->url.tls) {
            error_code ec;
            ctx = s_->st->tls_context(ec);
            if (ec) return post_complete(self, ec);
        }
        if (s_->conn) s_->conn->reset();
        else s_->conn = std::make_unique<connection>(s_->ex, s_->url.origin(), ctx, s_->own);
        s_->reused = false;
        s_->at = step::resolve;
        s_->resolver.emplace(s_->ex);
        s_->resolver->async_resolve(s_->url.host, s_->url.port, std::move(self));
    }

    template <class Self>
    void write(Self& self) {
        s_->at = step::write;
        s_->conn->lowest().expires_at(s_->deadline);
        if (s_->conn->tls) bhttp::async_write(*s_->conn->tls, s_->req, std::move(self));
        else bhttp::async_write(*s_->conn->plain, s_->req, std::move(self));
    }

    /// RFC 9110 §9.2.2: a request that may be repeated without changing
    /// the outcome.
    bool idempotent() const noexcept {
        switch (s_->req.method()) {
        case bhttp::verb::get: case bhttp::verb::head: case bhttp::verb::options: case bhttp::verb::trace:
        case bhttp::verb::put: case bhttp::verb::delete_:
            return true;
        default:
            return false;
        }
    }

    template <class Self>
    void retry_or_complete(Self& self, error_code ec, bool written) {
        if (s_->reused && stale_connection_error(ec) && (!written || idempotent()) && clock::now() < s_->deadline) {
            s_->buffer.clear();
            s_->parser.reset();
            return connect(self);
        }
        complete(self, ec);
    }

    template <class Self>
    void finish(Self& self) {
        auto res = s_->parser->release();
        const bool keep = res.keep_alive() && s_->buffer.size() == 0;
        auto out = from_beast(std::move(res));
        auto conn = std::move(s_->conn);
        ++conn->requests;
        if (keep) {
            conn->lowest().expires_never();
            s_->st->pool.give(std::move(conn), s_->st->options.max_idle_per_origin);
        }
        // else: conn closes as it goes out of scope
        self.complete(error_code{}, std::move(out));
    }

    template <class Self>
    void complete(Self& self, error_code ec) {
        s_->conn.reset(); // a failed connection is never pooled
        s_->resolver.reset();
        self.complete(ec, http::response{});
    }

    template <class Self>
    void post_complete(Self& self, error_code ec) {
        // async_compose must not complete inside the initiating call.
        s_->at = step::start;
        s_->early = {};
        // On the handler's own executor (a strand, say), not the transport's:
        // complete() invokes the handler where it runs.
        auto ex = net::get_associated_executor(self, s_->ex); // before `self` (and s_) moves
        net::post(ex, [self = std::move(self), ec]() mutable { self.complete(ec, http::response{}); });
    }

    std::unique_ptr<state> s_;
};

} // namespace authpp::transport::detail
