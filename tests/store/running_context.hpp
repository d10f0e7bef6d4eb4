// For the asynchronous redis_store tests: an io_context running on a thread
// of its own, and a member's answer awaited on the test's thread.
#pragma once

#include <authpp/error.hpp>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <future>
#include <thread>
#include <utility>

namespace authpp::test {

/// An asynchronous member's answer, waited for on this thread while another runs the context.
template <class T, class Start>
std::pair<error_code, T> await(Start start) {
    std::promise<std::pair<error_code, T>> p;
    auto f = p.get_future();
    start([&p](error_code ec, T v) { p.set_value({ec, std::move(v)}); });
    return f.get();
}

/// An io_context running on a thread of its own for as long as this lives.
struct running_context {
    boost::asio::io_context io;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work{io.get_executor()};
    std::thread thread{[this] { io.run(); }};
    ~running_context() {
        work.reset();
        thread.join();
    }
};

} // namespace authpp::test
