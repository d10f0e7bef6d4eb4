// authpp/split/session.hpp — "has this request a session?", refreshing
// first when it is due (the reference's checkSession and withSessionRefresh),
// and the restrictions built on it (withRestriction).
//
// A session needs the refresh cookie. It is refreshed first when due — the
// access cookie is missing, the indicator is missing or unreadable, or the
// expiry is within the margin — through the same coordinated refresh step as
// GET {base}/refresh. A definitive failure ends the session (clearing); a
// transient one keeps it while the access cookie is still there. The
// refreshed cookies travel on the response whatever the page does next.
// Pages clear only the three cookies: `Clear-Site-Data: "cookies"` (which
// the handlers send) would wipe every cookie of the origin on a page load.
#pragma once

#include <authpp/error.hpp>
#include <authpp/flow/step.hpp>
#include <authpp/http/message.hpp>
#include <authpp/oauth/refresh.hpp>
#include <authpp/split/context.hpp>
#include <authpp/split/cookies.hpp>
#include <authpp/url/form.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace authpp::split {

/// What a request's cookies came to. `has_session` is the reference's
/// "has a session": the cookies are there and not due (or a refresh just
/// succeeded). It is not authentication — nothing here checks the access
/// token, which the backend does when it is used; a page that must know the
/// user asks the backend with `access_token`.
struct session_state {
    bool has_session = false;
    std::string access_token;              ///< the one in force (a refreshed one); empty without a session
    std::optional<std::int64_t> expires_ms; ///< when it expires (Unix ms), when known
    std::vector<std::string> set_cookies;  ///< send on the response: refreshed cookies, or clearing
    bool ended = false;                    ///< a refused refresh ended it (set_cookies clear the three)
    bool refreshed = false;                ///< a refresh gave new tokens
    bool unavailable = false;              ///< a due refresh could not reach the backend
};

class session_flow {
public:
    session_flow(const context& cx, std::string_view cookie_header, std::int64_t now_ms) : cx_(&cx) {
        const auto& o = cx.options;
        const auto c = read_cookies(o, cookie_header);
        if (!c.refresh) {
            stage_ = stage::done; // no refresh cookie: no session (an access cookie alone is not one)
            return;
        }
        const auto expiry = c.indicator ? read_indicator(*c.indicator) : std::nullopt;
        if (c.access) out_.access_token = std::string(*c.access);
        out_.expires_ms = expiry;
        const bool due = !c.access || !expiry || *expiry <= now_ms + o.refresh_margin.count() * 1000;
        if (!due) {
            out_.has_session = true;
            stage_ = stage::done;
            return;
        }
        refresh_token_ = std::string(*c.refresh);
        http_ = cx.backend.refresh.request(refresh_token_);
        stage_ = stage::refresh;
    }

    flow::step next() const {
        if (stage_ == stage::refresh) return flow::step::redeem(http_, refresh_token_, {&read_refresh, cx_});
        return flow::step::finished();
    }
    void on_response(const error_code&, const http::response&) {}
    void on_store(flow::store_answer) {}
    void on_refresh(const oauth::refresh_result& r) {
        if (stage_ != stage::refresh) return;
        stage_ = stage::done;
        if (r.ok()) {
            auto cookies = session_cookies(cx_->options, r.tokens->access_token, r.tokens->refresh_token,
                                           r.tokens->access_token_expires);
            if (cookies) {
                out_ = {};
                out_.has_session = true;
                out_.access_token = r.tokens->access_token;
                out_.expires_ms = r.tokens->access_token_expires;
                out_.set_cookies = std::move(*cookies);
                out_.refreshed = true;
                return;
            }
        } else if (!r.transient()) {
            out_ = {};
            out_.set_cookies = clearing_cookies(cx_->options);
            out_.ended = true;
            return;
        }
        // Transient: the session stands while the access cookie does.
        out_.unavailable = true;
        out_.has_session = !out_.access_token.empty();
    }

    bool done() const noexcept { return stage_ == stage::done; }
    session_state result() && { return std::move(out_); }

private:
    enum class stage { refresh, done };

    const context* cx_;
    stage stage_ = stage::done;
    std::string refresh_token_;
    http::request http_;
    session_state out_;
};

/// A restriction: "has a session" → where to send the request, or nowhere.
using restriction = std::function<std::optional<std::string>(bool has_session)>;

/// Without a session, to the login URL.
inline restriction auth_restriction(std::string login_url) {
    return [u = std::move(login_url)](bool has) -> std::optional<std::string> {
        if (has) return std::nullopt;
        return u;
    };
}

/// With a session, to the app URL.
inline restriction guest_restriction(std::string app_url) {
    return [u = std::move(app_url)](bool has) -> std::optional<std::string> {
        if (!has) return std::nullopt;
        return u;
    };
}

/// Where `r` sends a request for `target` (its path and query): the
/// destination, with returnTo = the target form-encoded when there is no
/// session; nullopt to let it through. Send it as a 307 with the session's
/// cookies.
inline std::optional<std::string> redirect_for(const restriction& r, bool has_session, std::string_view target) {
    auto destination = r ? r(has_session) : std::nullopt;
    if (!destination || has_session) return destination;
    *destination += destination->find('?') == std::string::npos ? "?returnTo=" : "&returnTo=";
    url::form_encode(*destination, target);
    return destination;
}

} // namespace authpp::split
