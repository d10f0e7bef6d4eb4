// authpp/transport/asio_transport.hpp — the HttpTransport for Asio servers.
//
// async_send() takes any Asio completion token — a callback, use_future,
// use_awaitable, deferred, … — with the signature
//     void(boost::system::error_code, authpp::http::response)
// and runs on the executor the transport was made with. Connections are kept
// alive and reused per origin (scheme, host, port); TLS verifies the peer
// against the system trust store (or transport_options::ca_file), sends SNI
// and checks the host name or IP address. Redirects are not followed.
//
// send() (what the HttpTransport concept asks for) performs the exchange on
// the calling thread with connections of its own and never touches the
// executor: it is safe anywhere, but blocks its thread; Asio code uses
// async_send() or asio_auth's async_* drivers.
//
// Copies share the pool and the TLS context; async_send() and send() may be
// called from any thread.
#pragma once

#include <authpp/http/message.hpp>
#include <authpp/transport/blocking_transport.hpp>
#include <authpp/transport/detail/exchange.hpp>
#include <authpp/transport/transport_options.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>

#include <memory>

namespace authpp {

class asio_transport {
public:
    using executor_type = boost::asio::any_io_executor;

    explicit asio_transport(executor_type ex, transport::transport_options o = {})
        : ex_(std::move(ex)), st_(std::make_shared<transport::detail::shared_state>(o)), sync_(std::move(o)) {}

    executor_type get_executor() const noexcept { return ex_; }

    /// Performs `req` (copied: the caller's may go away) and completes with
    /// (error_code, http::response). Network failures, time-outs, TLS
    /// verification failures and over-long answers are the error_code; any
    /// HTTP status is a response.
    template <class CompletionToken = boost::asio::default_completion_token_t<executor_type>>
    auto async_send(const http::request& req,
                    CompletionToken&& token = boost::asio::default_completion_token_t<executor_type>{}) {
        return boost::asio::async_compose<CompletionToken, void(error_code, http::response)>(
            transport::detail::exchange_op(st_, req, nullptr, ex_, nullptr), token, ex_);
    }

    /// The blocking exchange, on the calling thread.
    http::response send(const http::request& req, error_code& ec) { return sync_.send(req, ec); }

    const transport::transport_options& options() const noexcept { return st_->options; }
    /// Kept-alive connections of async_send() waiting for the next request.
    std::size_t idle_connections() const { return st_->pool.idle_count(); }
    /// Closes every idle connection of async_send().
    void close_idle() { st_->pool.clear(); }

private:
    executor_type ex_;
    std::shared_ptr<transport::detail::shared_state> st_;
    blocking_transport sync_;
};

} // namespace authpp
