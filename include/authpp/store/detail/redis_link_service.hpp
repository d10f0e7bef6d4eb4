// authpp/store/detail/redis_link_service.hpp — where redis_store's
// connections live: the channel (one link, or a cluster's links) of each
// store on each execution context, and the blocking members' private ones.
#pragma once

#include <authpp/store/detail/redis_cluster.hpp>
#include <authpp/store/detail/redis_link.hpp>

#include <boost/asio/execution_context.hpp>
#include <boost/asio/io_context.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace authpp::detail {

/// Holds the links of one execution context, and closes them with it.
class redis_link_service final : public boost::asio::execution_context::service {
public:
    inline static boost::asio::execution_context::id id;

    explicit redis_link_service(boost::asio::execution_context& ctx) : service(ctx) {}

    /// The channel of `params` on this context (made on first use): a
    /// link, or a cluster's for a cluster URL; null once the context is
    /// shutting down.
    std::shared_ptr<redis_channel> channel(const boost::asio::any_io_executor& ex,
                                           const std::shared_ptr<const redis_link_params>& params) {
        std::lock_guard l(mutex_);
        if (shut_down_) return nullptr;
        auto& slot = links_[params.get()]; // the channel keeps params (and the key) alive
        if (!slot) {
            if (params->url.cluster()) slot = std::make_shared<redis_cluster>(ex, params);
            else slot = std::make_shared<redis_link>(ex, params);
        }
        return slot;
    }

private:
    void shutdown() override {
        std::map<const void*, std::shared_ptr<redis_channel>> links;
        {
            std::lock_guard l(mutex_);
            shut_down_ = true;
            links.swap(links_);
        }
        for (auto& [key, link] : links) link->shutdown();
    }

    std::mutex mutex_;
    std::map<const void*, std::shared_ptr<redis_channel>> links_;
    bool shut_down_ = false;
};

/// A link that the calling thread drives on an io_context of its own, one
/// command at a time: redis_store's blocking members over rediss://, where
/// hiredis 0.14 (no TLS) cannot serve them, and over the sentinel and
/// cluster URLs.
/// Running the asynchronous link rather than a second, synchronous client
/// keeps one implementation of the connection (TLS, the Sentinel question
/// and the ROLE check, AUTH + SELECT, reconnects, replies through
/// redisReader), and its timers bound every call — Asio's synchronous
/// operations have no time-outs. Not thread-safe: the store pools these, one
/// per thread at a time, as it pools hiredis connections.
class redis_blocking_link {
public:
    explicit redis_blocking_link(const std::shared_ptr<const redis_link_params>& params)
        : link_(boost::asio::use_service<redis_link_service>(io_).channel(io_.get_executor(), params)) {}

    /// One command and its reply, or the failure and null; `slot` as for
    /// redis_channel::submit.
    redis_reply run(std::string command, int slot, error_code& ec) {
        redis_reply reply;
        bool answered = false;
        link_->submit(std::move(command), slot, [&](error_code e, redis_reply r) {
            ec = e;
            reply = std::move(r);
            answered = true;
        });
        // Returns once the context is out of work: the reply (or the failure)
        // is in, and so is what the call set off — a cluster's slot map
        // reload after a MOVED or a lost node, which asks one node after
        // another, each within the connect and command time-outs. (Leaving
        // it for the next call instead would let its timers run out
        // meanwhile, unrun, and fail that call's command.) An idle link
        // leaves nothing outstanding; the connection stays open.
        io_.restart();
        io_.run();
        if (!answered) ec = redis_error::unreachable; // dropped uncalled: the channel was shut down
        return reply;
    }

private:
    boost::asio::io_context io_{1}; // first: destroyed last, closing the link with it
    std::shared_ptr<redis_channel> link_;
};

} // namespace authpp::detail
