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
//
// With AUTHPP_SEPARATE_COMPILATION the exchange (Beast's and OpenSSL's
// operations) is compiled once, in <authpp/src.hpp>, and this header
// includes neither Beast nor OpenSSL.
#pragma once

#include <authpp/detail/separate.hpp>
#include <authpp/error.hpp>
#include <authpp/http/message.hpp>
#include <authpp/transport/blocking_transport.hpp>
#include <authpp/transport/transport_options.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/bind_executor.hpp>

#include <cstddef>
#include <memory>

namespace authpp {

class asio_transport {
public:
    using executor_type = boost::asio::any_io_executor;

    AUTHPP_DECL explicit asio_transport(executor_type ex, transport::transport_options o = {});

    executor_type get_executor() const noexcept { return ex_; }

    /// Performs `req` (copied: the caller's may go away) and completes with
    /// (error_code, http::response). Network failures, time-outs, TLS
    /// verification failures and over-long answers are the error_code; any
    /// HTTP status is a response.
    ///
    /// The exchange itself (resolve, connect, TLS, write, read: Beast's and
    /// OpenSSL's operations) is compiled once per translation unit (once per
    /// program with AUTHPP_SEPARATE_COMPILATION), whatever the token: the
    /// handler reaches it type-erased (one allocation per exchange), its
    /// executor (which must convert to any_io_executor, as a strand or an
    /// io_context's executor does), allocator and cancellation slot kept.
    template <class CompletionToken = boost::asio::default_completion_token_t<executor_type>>
    auto async_send(const http::request& req,
                    CompletionToken&& token = boost::asio::default_completion_token_t<executor_type>{}) {
        return boost::asio::async_initiate<CompletionToken, void(error_code, http::response)>(
            [](auto handler, std::shared_ptr<transport::detail::shared_state> st, executor_type io, http::request r) {
                const executor_type ex = boost::asio::get_associated_executor(handler, io);
                start_send(std::move(st), std::move(io), std::move(r),
                           send_handler(boost::asio::executor_arg, ex,
                                        boost::asio::any_completion_handler<void(error_code, http::response)>(
                                            std::move(handler))));
            },
            token, st_, ex_, req);
    }

    /// The blocking exchange, on the calling thread.
    http::response send(const http::request& req, error_code& ec) { return sync_.send(req, ec); }

    AUTHPP_DECL const transport::transport_options& options() const noexcept;
    /// Kept-alive connections of async_send() waiting for the next request.
    AUTHPP_DECL std::size_t idle_connections() const;
    /// Closes every idle connection of async_send().
    AUTHPP_DECL void close_idle();

private:
    using send_handler =
        boost::asio::executor_binder<boost::asio::any_completion_handler<void(error_code, http::response)>,
                                     executor_type>;
    AUTHPP_DECL static void start_send(std::shared_ptr<transport::detail::shared_state> st, executor_type io,
                                       http::request req, send_handler handler);

    executor_type ex_;
    std::shared_ptr<transport::detail::shared_state> st_;
    blocking_transport sync_;
};

} // namespace authpp

#if !defined(AUTHPP_SEPARATE_COMPILATION)
#include <authpp/transport/impl/asio_transport.ipp>
#endif
