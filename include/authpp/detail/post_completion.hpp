// authpp/detail/post_completion.hpp — completes an asynchronous operation as
// Asio's own do: never inside the initiating call, on the handler's
// associated executor.
//
// The answer is posted to the I/O executor the operation was given (always
// postable) and from there dispatched to the handler's executor (which may
// be one that can only dispatch, such as any_completion_handler's).
#pragma once

#include <boost/asio/append.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>

#include <tuple>
#include <utility>

namespace authpp::detail {

/// Keeps the handler's executor busy from initiation to completion.
template <class IoExecutor, class Handler>
auto handler_work(const IoExecutor& io, const Handler& h) {
    return boost::asio::make_work_guard(boost::asio::get_associated_executor(h, io));
}

template <class IoExecutor, class Handler, class Work, class... Args>
void post_completion(const IoExecutor& io, Handler h, Work work, Args... args) {
    boost::asio::post(io, [h = std::move(h), work = std::move(work), args = std::make_tuple(std::move(args)...)]() mutable {
        auto hex = work.get_executor();
        std::apply(
            [&](auto&... a) { boost::asio::dispatch(hex, boost::asio::append(std::move(h), std::move(a)...)); }, args);
    });
}

} // namespace authpp::detail
