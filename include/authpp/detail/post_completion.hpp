// authpp/detail/post_completion.hpp — completes an asynchronous operation as
// Asio's own do: never inside the initiating call, on the handler's
// associated executor.
//
// When the handler's executor is one that honours blocking.never — an
// any_io_executor (a coroutine's, a strand bound as one) or the I/O
// executor's own type — the answer is posted straight to it: one hop.
// Otherwise (an executor that may only dispatch, such as
// any_completion_handler's) it is posted to the I/O executor the operation
// was given, which is always postable, and from there dispatched to the
// handler's: two hops.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/append.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>

#include <tuple>
#include <type_traits>
#include <utility>

namespace authpp::detail {

/// Whether a completion can be posted straight to a handler whose
/// associated executor is HandlerExecutor (see above).
template <class HandlerExecutor, class IoExecutor>
inline constexpr bool posts_directly = std::is_same_v<HandlerExecutor, boost::asio::any_io_executor> ||
                                       std::is_same_v<HandlerExecutor, IoExecutor>;

/// Keeps the handler's executor busy from initiation to completion.
template <class IoExecutor, class Handler>
auto handler_work(const IoExecutor& io, const Handler& h) {
    return boost::asio::make_work_guard(boost::asio::get_associated_executor(h, io));
}

template <class IoExecutor, class Handler, class Work, class... Args>
void post_completion(const IoExecutor& io, Handler h, Work work, Args... args) {
    if constexpr (posts_directly<typename Work::executor_type, IoExecutor>) {
        // post() counts its own work on the executor until the handler runs.
        boost::asio::post(work.get_executor(), boost::asio::append(std::move(h), std::move(args)...));
        return;
    }
    boost::asio::post(io, [h = std::move(h), work = std::move(work), args = std::make_tuple(std::move(args)...)]() mutable {
        auto hex = work.get_executor();
        std::apply(
            [&](auto&... a) { boost::asio::dispatch(hex, boost::asio::append(std::move(h), std::move(a)...)); }, args);
    });
}

} // namespace authpp::detail
