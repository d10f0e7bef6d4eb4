// A test HttpTransport: answers from a script, records what it was sent.
// Copies share one script, so a test keeps a handle to the one a config holds.
#pragma once

#include <authpp/http/message.hpp>

#include <boost/system/error_code.hpp>

#include <deque>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <vector>

namespace authpp::test {

struct scripted_reply {
    boost::system::error_code error; ///< a transport failure instead of a response
    http::response response;
};

class scripted_transport {
public:
    void push(int status, std::string body) {
        std::lock_guard l(s_->m);
        s_->replies.push_back({{}, http::response{status, {{"Content-Type", "application/json"}}, std::move(body)}});
    }
    void push_error(boost::system::error_code ec) {
        std::lock_guard l(s_->m);
        s_->replies.push_back({ec, {}});
    }

    http::response send(const http::request& req, boost::system::error_code& ec) {
        std::lock_guard l(s_->m);
        s_->sent.push_back(req);
        if (s_->replies.empty()) throw std::logic_error("scripted_transport: unexpected request to " + req.url);
        auto r = std::move(s_->replies.front());
        s_->replies.pop_front();
        ec = r.error;
        return std::move(r.response);
    }

    std::vector<http::request> sent() const {
        std::lock_guard l(s_->m);
        return s_->sent;
    }
    std::size_t remaining() const {
        std::lock_guard l(s_->m);
        return s_->replies.size();
    }

private:
    struct state {
        mutable std::mutex m;
        std::deque<scripted_reply> replies;
        std::vector<http::request> sent;
    };
    std::shared_ptr<state> s_ = std::make_shared<state>();
};

} // namespace authpp::test
