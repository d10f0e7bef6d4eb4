// authpp/store/detail/hiredis.hpp — owning handles for hiredis objects, and
// the guard that keeps a write to a dead Redis socket from killing the
// process with SIGPIPE.
#pragma once

#include <hiredis/hiredis.h>

#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/time.h>

#include <chrono>
#include <ctime>
#include <memory>

namespace authpp::detail {

struct redis_context_free {
    void operator()(redisContext* c) const noexcept { redisFree(c); }
};
using redis_connection = std::unique_ptr<redisContext, redis_context_free>;

struct redis_reply_free {
    void operator()(redisReply* r) const noexcept { freeReplyObject(r); }
};
using redis_reply = std::unique_ptr<redisReply, redis_reply_free>;

inline timeval to_timeval(std::chrono::milliseconds ms) noexcept {
    // hiredis treats a zero time-out as "none": never block forever.
    const auto v = ms.count() < 1 ? 1 : ms.count();
    return timeval{static_cast<time_t>(v / 1000), static_cast<suseconds_t>((v % 1000) * 1000)};
}

/// An idle connection must have nothing to read: if the server closed it
/// (restart, idle time-out) the end-of-file is already waiting. Catching that
/// here keeps the next command from being the one that finds out.
inline bool idle_connection_usable(const redisContext& c) noexcept {
    pollfd p{c.fd, POLLIN, 0};
    return ::poll(&p, 1, 0) == 0;
}

/// hiredis writes with write(2), which raises SIGPIPE when the server has
/// reset the connection, and the default action ends the process. A library
/// must not change the process's signal handling, so — as libpq does — block
/// SIGPIPE in this thread for the call and discard one it raised.
class sigpipe_guard {
public:
    sigpipe_guard() noexcept {
        sigset_t pipe;
        sigemptyset(&pipe);
        sigaddset(&pipe, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &pipe, &old_mask_);
        sigset_t pending;
        sigpending(&pending);
        already_pending_ = sigismember(&pending, SIGPIPE) == 1;
    }
    sigpipe_guard(const sigpipe_guard&) = delete;
    sigpipe_guard& operator=(const sigpipe_guard&) = delete;

    ~sigpipe_guard() {
        if (!already_pending_) {
            sigset_t pending;
            sigpending(&pending);
            if (sigismember(&pending, SIGPIPE) == 1) {
                sigset_t pipe;
                sigemptyset(&pipe);
                sigaddset(&pipe, SIGPIPE);
                const timespec zero{0, 0};
                sigtimedwait(&pipe, nullptr, &zero);
            }
        }
        pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
    }

private:
    sigset_t old_mask_;
    bool already_pending_ = false;
};

} // namespace authpp::detail
