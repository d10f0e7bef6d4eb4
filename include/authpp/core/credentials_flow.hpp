// authpp/core/credentials_flow.hpp — sign-in with tokens the client obtained
// itself (the reference's Credentials provider), without I/O.
//
//   tokens JSON → required fields checked → GET userinfo with the access
//   token (an exchange step) → its sub must equal the claimed one → signIn callback
//   → the session flow's sign-in branch → session and Set-Cookie values.
#pragma once

#include <authpp/concepts/cookie_codec.hpp>
#include <authpp/core/session_flow.hpp>
#include <authpp/oauth/credentials.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace authpp::core {

template <CookieCodec Codec>
class credentials_flow {
public:
    credentials_flow(const auth_options& o, const Codec& codec, std::string_view tokens_json,
                     std::string_view cookie_header, std::int64_t now_ms)
        : o_(o), codec_(codec), cookie_header_(cookie_header), now_ms_(now_ms) {
        auto t = oauth::parse_credentials(tokens_json);
        if (!t) {
            error_ = t.error();
            return;
        }
        tokens_ = std::move(*t);
        pending_ = oauth::make_userinfo_request(o_, tokens_.access_token);
    }

    /// What the flow waits for (<authpp/flow/step.hpp>): the userinfo
    /// exchange, then the new session's Store calls (database sessions), or
    /// nothing (done).
    flow::step next() const noexcept {
        if (pending_) return flow::step::send(*pending_);
        if (session_) return session_->next();
        return flow::step::finished();
    }

    void on_response(const error_code& ec, const http::response& resp) {
        if (!pending_) return;
        pending_.reset();
        auto user = oauth::verify_userinfo(ec, resp, tokens_);
        if (!user) {
            error_ = user.error();
            return;
        }
        if (o_.callbacks.sign_in && !o_.callbacks.sign_in(*user)) {
            error_ = error::unauthorized;
            return;
        }
        user_ = std::move(*user);
        flow_options fo;
        fo.event = {jwt_trigger::sign_in, &*user_, nullptr};
        session_.emplace(o_, codec_, cookie_header_, now_ms_, fo);
    }
    void on_store(flow::store_answer a) {
        if (session_) session_->on_store(std::move(a));
    }
    // This flow asks for no refresh (a sign-in starts with fresh tokens).
    void on_refresh(const oauth::refresh_result&) noexcept {}

    bool done() const noexcept { return next().what == flow::step::kind::done; }

    /// The signed-in session and its cookies, or why the sign-in was refused
    /// (invalid_credentials, userinfo_rejected, userinfo_mismatch, unauthorized).
    authpp::result<session_result> result() && {
        if (error_) return error_;
        if (!session_) return error::userinfo_rejected; // the userinfo answer never came
        return std::move(*session_).result();
    }

private:
    const auth_options& o_;
    const Codec& codec_;
    std::string_view cookie_header_;
    std::int64_t now_ms_;
    oauth::client_tokens tokens_;
    std::optional<http::request> pending_;
    std::optional<signed_in_user> user_; // the sign-in event points at it
    std::optional<session_flow<Codec>> session_;
    error_code error_;
};

} // namespace authpp::core
