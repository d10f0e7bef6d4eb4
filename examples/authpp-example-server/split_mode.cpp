// split_mode.cpp — authpp-example-server with AUTHPP_MODE=split: the
// handlers under the base path, and pages behind the restrictions:
//
//   POST {base}/login, GET {base}/refresh, GET {base}/logout   the handlers
//   GET /app           auth restriction: no session → 307 to the login URL with returnTo
//   GET /login         guest restriction: a session → 307 to the app URL
//   GET /              refresh-if-due, then a public page
//   GET /api/session   refresh-if-due, then {"authenticated":bool,"expires":ISO 8601|null}
//
// Its own translation unit, like nal_mode.cpp.
#include "app.hpp" // html_escape, page
#include "serve.hpp"
#include "split_env.hpp"

#include <authpp/split.hpp>
#include <authpp/transport/asio_transport.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <cstdio>
#include <string>

namespace asio = boost::asio;

namespace {

using split_config = authpp::split::basic_split_config<authpp::asio_transport, authpp::system_clock, authpp::any_store>;
namespace split = authpp::split;

using example::page;

std::string expiry_text(const split::session_state& s) {
    return s.expires_ms ? split::indicator_value(*s.expires_ms) : std::string("(unknown)");
}

example::handler_type split_app(split_config& cfg) {
    return [&cfg](const example::request_type& req, example::response_type& res) -> asio::awaitable<void> {
        const std::string_view target(req.target().data(), req.target().size());
        const std::string_view path = target.substr(0, target.find_first_of("?#"));
        const auto& o = cfg.options();
        if (split::under_base(o, path)) {
            const auto r = co_await split::async_handle(cfg, split::beast::read_request(req), asio::use_awaitable);
            res = split::beast::to_response(r, req.version(), req.keep_alive());
            co_return;
        }
        if (path != "/" && path != "/app" && path != "/login" && path != "/api/session") {
            res.result(example::bhttp::status::not_found);
            page(res, "Not found", "<p>No such page.</p>");
            co_return;
        }
        // Every page here knows whether there is a session (refreshing first
        // when it is due); the refreshed cookies go out whatever comes next.
        const auto s = co_await split::async_session(cfg, split::beast::cookies_of(req), asio::use_awaitable);
        split::restriction restriction;
        if (path == "/app") restriction = cfg.auth_restriction();
        if (path == "/login") restriction = cfg.guest_restriction();
        if (auto to = split::redirect_for(restriction, s.has_session, target)) {
            res = split::beast::redirect(*to, s, req.version(), req.keep_alive());
            co_return;
        }
        if (path == "/api/session") {
            boost::json::object body;
            body["authenticated"] = s.has_session;
            body["expires"] = s.has_session && s.expires_ms ? boost::json::value(split::indicator_value(*s.expires_ms))
                                                            : boost::json::value(nullptr);
            res.set(example::bhttp::field::content_type, "application/json");
            res.set(example::bhttp::field::cache_control, "no-store");
            res.body() = boost::json::serialize(body);
        } else if (path == "/app") {
            page(res, "App", "<p>Signed in. The access token expires at <span id=\"expires\">" +
                                 example::html_escape(expiry_text(s)) + "</span>" +
                                 (s.refreshed ? " (just refreshed)" : "") + ".</p><p><a href=\"" +
                                 example::html_escape(o.logout_path()) + "\">Sign out</a></p>");
        } else if (path == "/login") {
            page(res, "Sign in",
                 "<form method=\"post\" action=\"" + example::html_escape(o.login_path()) +
                     "\"><input name=\"email\" type=\"email\"> <input name=\"password\" type=\"password\"> "
                     "<button>Sign in</button></form>");
        } else {
            page(res, "authpp example (split)",
                 std::string("<p>A public page; ") + (s.has_session ? "signed in" : "not signed in") +
                     ". <a href=\"/app\">App</a>, <a href=\"/api/session\">/api/session</a>.</p>");
        }
        split::beast::apply_session(s, res);
    };
}

} // namespace

int run_split_mode(const char* (*getenv_fn)(const char*)) {
    auto parsed = example::split_config_from_env(getenv_fn);
    if (const auto* message = std::get_if<std::string>(&parsed)) return example::refuse(*message);
    auto config = std::get<example::split_server_config>(std::move(parsed));
    auto setup = example::set_up(config.listen, config.redis);
    if (const auto* code = std::get_if<int>(&setup)) return *code;
    auto& [address, store] = std::get<example::mode_setup>(setup);
    asio::io_context ioc(static_cast<int>(config.listen.threads));
    split_config cfg(std::move(config.split), split::json_handlers(std::move(config.backend)),
                     authpp::asio_transport(ioc.get_executor()), authpp::system_clock{}, store);
    std::printf("mode: split, store: %s, preset: %s\n", config.redis.url.empty() ? "memory" : "redis",
                config.preset.c_str());
    return example::serve(ioc, config.listen, address, split_app(cfg));
}
