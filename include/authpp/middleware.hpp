// authpp/middleware.hpp — route protection: the reference's
// createAuthMiddleware as a sans-I/O decision and two drivers.
//
//   auto r = authpp::run_middleware(auth, req);               // blocking
//   authpp::async_middleware(auth, req, [](authpp::middleware_result r) { … });
//                     // the Asio driver: <authpp/async/middleware.hpp> (in <authpp/asio.hpp>)
//   for (auto& c : r.set_cookies) response.add_header("Set-Cookie", c);   // on both outcomes
//   if (!r.allowed) { response.status = r.status; response.add_header("Location", r.location); }
//
// The rules, in order (the reference's):
//   1. a path some public pattern covers passes;
//   2. when protected patterns are configured, a path none of them covers
//      passes (an empty list protects every path: the reference leaves that
//      choice to Next.js's matcher config, a C++ server has none);
//   3. otherwise the session is resolved (refreshing the access token when
//      due): none → 307 to the login URL with returnTo = path + query; an
//      error other than TokenExpired → the same plus error=<error>;
//      TokenExpired passes (the client refreshes).
// Rules 1 and 2 decide without reading the session cookie.
//
// Paths are compared after the normalisation a browser's URL parser applies
// (<authpp/url/path.hpp>; the reference sees request.nextUrl.pathname):
// dot segments resolved, also percent-encoded ones, '\' read as '/',
// absolute-form targets reduced to their path. Beyond the reference,
// percent-encoded unreserved characters are decoded (RFC 3986 §6.2.2.2:
// /%61dmin is /admin; not in a path with a stray '%', which no decoder reads
// the same way twice), so no spelling of a protected path passes as another
// path.
//
// The router must agree. A router that is more lenient than this — merges
// "//", ignores case, strips ";params", decodes %2F — would serve a path the
// middleware saw as another one: "//dashboard" unprotected, then routed to
// the dashboard. So: route on middleware_result::path (the normalised path
// the rules saw, set on every outcome), and turn on the leniencies your
// router has in options.path_matching (merge_slashes, ignore_case). ";" and
// "%2F" are never special here: "/dashboard;x" and "/dashboard%2fx" are
// paths of their own, as they are to the WHATWG URL parser.
#pragma once

#include <authpp/concepts/http_transport.hpp>
#include <authpp/core/session_flow.hpp>
#include <authpp/flow/step.hpp>
#include <authpp/http/message.hpp>
#include <authpp/http/server_message.hpp>
#include <authpp/options.hpp>
#include <authpp/session.hpp>
#include <authpp/token.hpp>
#include <authpp/url/form.hpp>
#include <authpp/url/path.hpp>
#include <authpp/url/url.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace authpp {

enum class route_kind {
    public_route,    ///< a public pattern covers the path: pass
    unprotected,     ///< protected patterns are configured and none covers the path: pass
    protected_route, ///< the session decides
};

/// What the middleware decided for one request.
struct middleware_result {
    bool allowed = true;                   ///< let the request through to its handler
    int status = 0;                        ///< 307 when !allowed
    std::string location;                  ///< the redirect target when !allowed
    std::vector<std::string> set_cookies;  ///< Set-Cookie values for the response that goes out, either way
    std::optional<authpp::session> session; ///< the resolved session (when one was resolved)
    /// The normalised path the rules saw (options.path_matching applied):
    /// route on this, so the handler that runs is the one the decision was for.
    std::string path;
};

/// Rules 1 and 2 for a request path (normalised here; the query must not be
/// part of it). Uses cfg.public_paths() and cfg.protected_paths().
/// classify_route() for a path url::normalize_request_path() has already made.
template <class Config>
route_kind classify_normal_route(const Config& cfg, std::string_view path) {
    if (!cfg.public_paths().empty() && cfg.public_paths().matches(path)) return route_kind::public_route;
    if (!cfg.protected_paths().empty() && !cfg.protected_paths().matches(path)) return route_kind::unprotected;
    return route_kind::protected_route;
}

template <class Config>
route_kind classify_route(const Config& cfg, std::string_view path) {
    std::string scratch;
    return classify_normal_route(cfg, url::normalize_request_path(path, scratch, cfg.options().path_matching));
}

namespace detail {

/// `new URL(loginUrl, base)` with returnTo (and error) set in its query. The
/// origin is options.base_url's when set, else the Location stays relative:
/// the Host header is the client's to choose and must not pick the target.
inline std::string login_location(const auth_options& o, std::string_view return_to,
                                  std::optional<std::string_view> error) {
    std::string_view url = o.login_url;
    std::string_view fragment;
    if (const auto hash = url.find('#'); hash != std::string_view::npos) {
        fragment = url.substr(hash);
        url = url.substr(0, hash);
    }
    std::string_view query;
    if (const auto q = url.find('?'); q != std::string_view::npos) {
        query = url.substr(q + 1);
        url = url.substr(0, q);
    }
    std::string out;
    if (!url::has_scheme(url)) {
        std::string_view base = o.base_url;
        while (!base.empty() && base.back() == '/') base.remove_suffix(1);
        out += base;
        if (!url.starts_with('/')) out += '/';
    }
    out += url;
    auto fields = *url::parse_form_fields(query); // no field limit: the login URL is configuration
    url::set_form_field(fields, "returnTo", return_to);
    if (error) url::set_form_field(fields, "error", *error);
    char sep = '?';
    for (const auto& [k, v] : fields) {
        out += sep;
        sep = '&';
        url::append_form_field(out, k, v);
    }
    out += fragment;
    return out;
}

} // namespace detail

/// Rule 3 for a protected route whose session is resolved: passes or
/// redirects, and carries the result's Set-Cookie values (a refreshed or a
/// cleared cookie) either way.
inline middleware_result decide_route(const auth_options& o, const http::server_request& req,
                                      core::session_result&& r) {
    middleware_result out;
    out.set_cookies = std::move(r.set_cookies);
    out.session = std::move(r.session);
    const bool must_sign_in =
        out.session && out.session->error && *out.session->error != token_error::token_expired;
    if (out.session && !must_sign_in) return out;
    out.allowed = false;
    out.status = 307; // NextResponse.redirect's default: the method and body are kept
    std::string scratch;
    std::string return_to(url::normalize_request_path(req.path(), scratch));
    if (const auto q = req.query(); !q.empty()) {
        return_to += '?';
        return_to += q;
    }
    out.location = detail::login_location(
        o, return_to, must_sign_in ? std::optional<std::string_view>(*out.session->error) : std::nullopt);
    return out;
}

/// The flow a middleware run drives: a session_flow for a protected route,
/// nothing for the others (their cookie is never read).
template <class SessionFlow>
class middleware_flow {
public:
    middleware_flow() = default;
    explicit middleware_flow(SessionFlow&& f) : inner_(std::move(f)) {}

    /// The session flow's step (<authpp/flow/step.hpp>), or done.
    flow::step next() const noexcept { return inner_ ? inner_->next() : flow::step::finished(); }
    void on_response(const error_code& ec, const http::response& resp) {
        if (inner_) inner_->on_response(ec, resp);
    }
    void on_refresh(const oauth::refresh_result& rr) {
        if (inner_) inner_->on_refresh(rr);
    }
    void on_store(flow::store_answer a) {
        if (inner_) inner_->on_store(std::move(a));
    }
    /// Whether the route is protected and a session is being resolved.
    bool resolves_session() const noexcept { return inner_.has_value(); }
    core::session_result&& result() && noexcept { return std::move(*inner_).result(); }

private:
    std::optional<SessionFlow> inner_;
};

namespace detail {

template <class Config>
using middleware_flow_t = middleware_flow<typename Config::flow_type>;

/// The flow for a request whose path url::normalize_request_path() has made:
/// a session flow for a protected route, none for the others.
template <class Config>
middleware_flow_t<Config> start_middleware(Config& cfg, const http::server_request& req, std::string_view normal_path) {
    if (classify_normal_route(cfg, normal_path) != route_kind::protected_route) return {};
    core::flow_options fo;
    fo.want_token = false; // decide_route() reads the session alone
    return middleware_flow_t<Config>(cfg.begin(req.cookie, fo));
}

template <class Config>
middleware_result finish_middleware(Config& cfg, const http::server_request& req, std::string_view normal_path,
                                    middleware_flow_t<Config>&& flow) {
    middleware_result out;
    if (flow.resolves_session()) {
        auto r = std::move(flow).result();
        cfg.note_refresh(r);
        out = decide_route(cfg.options(), req, std::move(r));
    }
    out.path = normal_path;
    return out;
}

} // namespace detail

/// The middleware with blocking calls: resolves the session (through
/// cfg.drive(), which may refresh) only for a protected route. The path is
/// normalised once, here; a passing route builds no session flow.
template <class Config>
middleware_result run_middleware(Config& cfg, const http::server_request& req) {
    std::string scratch;
    const auto path = url::normalize_request_path(req.path(), scratch, cfg.options().path_matching);
    auto flow = detail::start_middleware(cfg, req, path);
    if (flow.resolves_session()) cfg.drive(flow);
    return detail::finish_middleware(cfg, req, path, std::move(flow));
}

} // namespace authpp
