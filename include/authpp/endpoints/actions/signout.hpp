// authpp/endpoints/actions/signout.hpp — POST /signout: every session cookie
// and chunk the request carries is expired and the browser sent to the
// callbackUrl; with database sessions the stored session ends first (one
// Store call). The dispatcher has checked the CSRF token. (GET /signout, the
// confirmation page, is in <authpp/endpoints/actions/pages.hpp>.)
#pragma once

#include <authpp/concepts/cookie_codec.hpp>
#include <authpp/cookie/chunking.hpp>
#include <authpp/crypto/secure_erase.hpp>
#include <authpp/endpoints/actions/context.hpp>
#include <authpp/error.hpp>
#include <authpp/flow/step.hpp>
#include <authpp/http/message.hpp>
#include <authpp/oauth/refresh.hpp>

#include <optional>
#include <string>
#include <utility>

namespace authpp::endpoints {

template <class Config>
class sign_out_action {
public:
    explicit sign_out_action(action_context<Config>& cx) {
        if constexpr (SessionStoreCodec<typename Config::codec_type>) {
            // Database sessions: the stored session ends with the cookie (one Store call).
            std::string token;
            if (!cookie::read_session_cookie(cx.req.cookie, cx.o.session_cookie(), token))
                store_op_ = cx.cfg.codec().end_session_op(token);
            crypto::secure_erase(token);
            if (store_op_) return;
        }
        finish(cx);
    }

    /// The stored session's end, if any.
    flow::step next() const noexcept { return store_op_ ? flow::step::call(*store_op_) : flow::step::finished(); }
    void on_response(action_context<Config>&, const error_code&, const http::response&) noexcept {}
    void on_store(action_context<Config>& cx, flow::store_answer) {
        finish(cx); // gone or not, the user is signed out
    }
    void on_refresh(action_context<Config>&, const oauth::refresh_result&) noexcept {}

private:
    static void finish(action_context<Config>& cx) {
        // Every session cookie and chunk the request carries is expired, also
        // when they could not be read (too many chunks, a gap, too large):
        // a user can always sign out.
        auto lines =
            cookie::write_session_cookie(cx.o.session_cookie(), "", cx.o.session_cookie_options(), cx.req.cookie);
        if (lines)
            for (auto& l : *lines) cx.cookies.push_back(std::move(l));
        cx.redirect(cx.callback_url);
    }

    std::optional<flow::store_op> store_op_; // the end of a stored session
};

} // namespace authpp::endpoints
