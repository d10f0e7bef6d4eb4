// authpp/detail/async_flow.hpp — runs any sans-I/O flow (pending() /
// on_response()) on an asynchronous transport as one composed operation.
// A Job says how to start the flow and how to complete the operation with
// its result; see resolve_job in <authpp/asio.hpp> for the shape.
#pragma once

#include <authpp/error.hpp>
#include <authpp/http/message.hpp>

#include <boost/asio/append.hpp>
#include <boost/asio/post.hpp>

#include <memory>
#include <optional>
#include <utility>

namespace authpp::detail {

template <class T>
concept AsyncHttpTransport = requires(T& t, const http::request& req) {
    t.get_executor();
    t.async_send(req, [](error_code, http::response) {});
};

struct posted_t {};

/// Runs a flow: each pending() exchange through async_send, then the job
/// completes. A flow that needs no exchange completes through a post, never
/// inside the initiating call.
template <class Transport, class Job>
class flow_op {
public:
    flow_op(Transport& t, Job job) : s_(std::make_unique<state>(t, std::move(job))) {}

    template <class Self>
    void operator()(Self& self) {
        s_->flow.emplace(s_->job.start());
        if (!next(self)) {
            auto ex = s_->transport.get_executor(); // before `self` (and s_) moves
            boost::asio::post(ex, boost::asio::append(std::move(self), posted_t{}));
        }
    }

    template <class Self>
    void operator()(Self& self, error_code ec, http::response resp) {
        s_->flow->on_response(ec, resp);
        if (!next(self)) s_->job.complete(self, std::move(*s_->flow));
    }

    template <class Self>
    void operator()(Self& self, posted_t) {
        s_->job.complete(self, std::move(*s_->flow));
    }

private:
    struct state {
        state(Transport& t, Job j) : transport(t), job(std::move(j)) {}
        Transport& transport;
        Job job;
        std::optional<typename Job::flow_type> flow;
    };

    template <class Self>
    bool next(Self& self) {
        const http::request* req = s_->flow->pending();
        if (!req) return false;
        s_->transport.async_send(*req, std::move(self));
        return true;
    }

    std::unique_ptr<state> s_;
};

} // namespace authpp::detail
