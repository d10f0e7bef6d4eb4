// authpp/helpers.hpp — the reference's session helpers for server-rendered
// pages and handlers.
//
// Each takes an `auth` callable returning std::optional<session>, exactly as
// the reference's helpers take the auth() of NextAuth(...). Bind it to the
// request *and its response's cookies*:
//
//   std::vector<std::string> set_cookies;
//   auto props = authpp::get_auth_props([&] { return cfg.auth(cookie_header, set_cookies); });
//   for (auto& c : set_cookies) response.insert("Set-Cookie", c);   // a refreshed, rotated token
//
// (An asynchronous server resolves first — co_await async_resolve(), whose
// result carries set_cookies — and binds `[&] { return r.session; }`.)
// cfg.auth(cookie_header) without the vector is read-only: it never
// refreshes, since a rotated refresh token it could not hand back would be
// lost. Results:
//
//   get_auth_props         {session, ssr, auth_error}: TokenExpired → no SSR, no error
//   get_authenticated_data + data / fetch_error (the fetcher's exception text)
//   get_valid_session      authenticated | token_expired | unauthenticated | error
//   create_protected_fetchers  the two above with one on_auth_error handler
//   with_auth              wraps a handler; throws unauthorized_error when there
//                          is no session or its error is not TokenExpired
#pragma once

#include <authpp/oauth/refresh.hpp>
#include <authpp/session.hpp>
#include <authpp/token.hpp>

#include <exception>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

namespace authpp {

/// Thrown by with_auth and by protected fetchers whose handler returned.
class unauthorized_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct auth_props {
    std::optional<authpp::session> session; ///< only when SSR may use it
    bool ssr = false;
    std::optional<std::string> auth_error; ///< an error that needs the user (not TokenExpired)
};

template <class T>
struct auth_props_with_data : auth_props {
    std::optional<T> data;
    std::optional<std::string> fetch_error;
};

struct protected_auth_props {
    std::optional<authpp::session> session;
    bool ssr = false;
};

template <class T>
struct protected_auth_props_with_data : protected_auth_props {
    std::optional<T> data;
    std::optional<std::string> fetch_error;
};

enum class session_status { authenticated, token_expired, unauthenticated, error };

struct valid_session_result {
    session_status status = session_status::unauthenticated;
    std::optional<authpp::session> session;
    std::optional<std::string> error; ///< with status error
};

template <class Auth>
concept AuthFunction = std::is_invocable_r_v<std::optional<session>, Auth&>;

template <AuthFunction Auth>
auth_props get_auth_props(Auth&& auth) {
    std::optional<session> s = auth();
    if (!s) return {};
    if (s->token_expired()) return {};
    if (s->error) return {std::nullopt, false, s->error};
    return {std::move(s), true, std::nullopt};
}

/// Fetcher: callable with the access token (std::string_view), returning the data.
template <AuthFunction Auth, class Fetcher>
auto get_authenticated_data(Auth&& auth, Fetcher&& fetcher)
    -> auth_props_with_data<std::decay_t<std::invoke_result_t<Fetcher&, std::string_view>>> {
    using T = std::decay_t<std::invoke_result_t<Fetcher&, std::string_view>>;
    auth_props_with_data<T> out;
    std::optional<session> s = auth();
    if (!s || s->token_expired()) return out;
    if (s->error) {
        out.auth_error = s->error;
        return out;
    }
    out.ssr = true;
    try {
        out.data = fetcher(std::string_view(s->access_token.value_or("")));
    } catch (const std::exception& e) {
        out.fetch_error = e.what();
    } catch (...) {
        out.fetch_error = "unknown error";
    }
    out.session = std::move(s);
    return out;
}

template <AuthFunction Auth>
valid_session_result get_valid_session(Auth&& auth) {
    std::optional<session> s = auth();
    if (!s) return {};
    if (!s->error) return {session_status::authenticated, std::move(s), std::nullopt};
    if (s->token_expired()) return {session_status::token_expired, std::move(s), std::nullopt};
    auto err = s->error;
    return {session_status::error, std::move(s), std::move(err)};
}

/// get_auth_props / get_data with one handler for auth errors. The handler
/// should redirect or throw; if it returns, unauthorized_error is thrown.
template <class Auth>
class protected_fetchers {
public:
    protected_fetchers(Auth auth, std::function<void(const std::string&)> on_auth_error)
        : auth_(std::move(auth)), on_auth_error_(std::move(on_auth_error)) {}

    protected_auth_props get_auth_props() {
        auto r = authpp::get_auth_props(auth_);
        if (r.auth_error) handle(*r.auth_error);
        return {std::move(r.session), r.ssr};
    }

    template <class Fetcher>
    auto get_data(Fetcher&& fetcher) {
        auto r = authpp::get_authenticated_data(auth_, std::forward<Fetcher>(fetcher));
        if (r.auth_error) handle(*r.auth_error);
        using T = typename decltype(r.data)::value_type;
        protected_auth_props_with_data<T> out;
        out.session = std::move(r.session);
        out.ssr = r.ssr;
        out.data = std::move(r.data);
        out.fetch_error = std::move(r.fetch_error);
        return out;
    }

private:
    [[noreturn]] void handle(const std::string& error) {
        if (on_auth_error_) on_auth_error_(error);
        throw unauthorized_error("Unauthorized: " + error);
    }

    Auth auth_;
    std::function<void(const std::string&)> on_auth_error_;
};

template <AuthFunction Auth>
protected_fetchers<std::decay_t<Auth>> create_protected_fetchers(Auth&& auth,
                                                                 std::function<void(const std::string&)> on_auth_error) {
    return {std::forward<Auth>(auth), std::move(on_auth_error)};
}

/// Wraps `handler(const session&, args...)`: the result runs it only with a
/// session whose error, if any, is TokenExpired (the handler checks that
/// itself when it needs a live access token).
template <AuthFunction Auth, class Handler>
auto with_auth(Auth auth, Handler handler) {
    return [auth = std::move(auth), handler = std::move(handler)](auto&&... args) mutable -> decltype(auto) {
        std::optional<session> s = auth();
        if (!s) throw unauthorized_error("Unauthorized: No active session");
        if (s->error && !s->token_expired()) throw unauthorized_error("Unauthorized: " + *s->error);
        return handler(static_cast<const session&>(*s), std::forward<decltype(args)>(args)...);
    };
}

using oauth::extract_zkevm_from_id_token;
using oauth::is_token_expired;

} // namespace authpp
