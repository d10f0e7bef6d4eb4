// nal_mode.cpp — authpp-example-server with AUTHPP_MODE=nal: every request
// goes through mode nal's decision (a backend validates the token), then:
//
//   GET /dashboard    protected: 200 HTML naming the user
//   GET /login        an auth route: signed-in users are sent to /
//   GET /             public
//   GET /api/whoami   200 {"authenticated","guest","tokenType","user","refreshed"},
//                     built only from the headers the decision gave the handler
//                     (x-auth-user, x-auth-token-type, x-refreshed-token) —
//                     what a real handler sees; never the token itself
//
// Its own translation unit: the Auth.js mode's and this one compile side by
// side.
#include "app.hpp" // html_escape, page
#include "nal_env.hpp"
#include "serve.hpp"

#include <authpp/nal.hpp>
#include <authpp/transport/asio_transport.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <cstdio>
#include <string>

namespace asio = boost::asio;

namespace {

using nal_config = authpp::nal::basic_nal_config<authpp::asio_transport, authpp::system_clock, authpp::any_store>;
namespace nal = authpp::nal;

using example::page;

/// What the handler knows: only the request headers the decision made.
struct identity {
    std::optional<boost::json::object> user;
    std::string token_type;
    bool refreshed = false;
};

identity identity_of(const example::request_type& req) {
    identity id;
    const auto view = [](boost::beast::string_view s) { return std::string_view(s.data(), s.size()); };
    id.user = nal::decode_user(view(req[nal::user_header]));
    id.token_type = std::string(view(req[nal::token_type_header]));
    id.refreshed = !req[nal::refreshed_token_header].empty();
    return id;
}

example::handler_type nal_app(nal_config& cfg) {
    return [&cfg](const example::request_type& original, example::response_type& res) -> asio::awaitable<void> {
        auto in = nal::beast::read_request(original);
        const auto d = co_await nal::async_decide(cfg, in, asio::use_awaitable);
        example::request_type req = original; // the handler's copy, with the decision's headers
        if (!nal::beast::apply_to_request(d, req)) {
            res = nal::beast::refusal(d, original.version(), original.keep_alive());
            co_return;
        }
        const auto id = identity_of(req);
        const std::string_view path = in.path;
        if (path == "/api/whoami") {
            boost::json::object o;
            o["authenticated"] = !id.token_type.empty() && id.token_type != "guest";
            o["guest"] = id.token_type == "guest";
            o["tokenType"] = id.token_type.empty() ? boost::json::value(nullptr) : boost::json::value(id.token_type);
            o["user"] = id.user ? boost::json::value(*id.user) : boost::json::value(nullptr);
            o["refreshed"] = id.refreshed;
            res.set(example::bhttp::field::content_type, "application/json");
            res.set(example::bhttp::field::cache_control, "no-store");
            res.body() = boost::json::serialize(o);
        } else if (path == "/dashboard") {
            std::string who = "(unknown)";
            if (id.user)
                for (const char* k : {"name", "email", "id", "sub"})
                    if (const auto* v = id.user->if_contains(k)) {
                        who = v->is_string() ? std::string(v->get_string()) : boost::json::serialize(*v);
                        break;
                    }
            page(res, "Dashboard", "<p>Signed in as <span id=\"user\">" + example::html_escape(who) +
                                       "</span> (<span id=\"type\">" + example::html_escape(id.token_type) +
                                       "</span>).</p>");
        } else if (path == "/login") {
            page(res, "Sign in", "<p>Sign in at the backend; the token arrives as the userToken cookie.</p>");
        } else if (path == "/") {
            page(res, "authpp example (nal)", R"(<p>A public page. <a href="/dashboard">Dashboard</a>,
<a href="/api/whoami">/api/whoami</a>.</p>)");
        } else {
            res.result(example::bhttp::status::not_found);
            page(res, "Not found", "<p>No such page.</p>");
        }
        nal::beast::apply_to_response(d, res);
    };
}

} // namespace

int run_nal_mode(const char* (*getenv_fn)(const char*)) {
    auto parsed = example::nal_config_from_env(getenv_fn);
    if (const auto* message = std::get_if<std::string>(&parsed)) return example::refuse(*message);
    auto config = std::get<example::nal_server_config>(std::move(parsed));
    auto setup = example::set_up(config.listen, config.redis);
    if (const auto* code = std::get_if<int>(&setup)) return *code;
    auto& [address, store] = std::get<example::mode_setup>(setup);
    asio::io_context ioc(static_cast<int>(config.listen.threads));
    nal::audit_sink audit;
    if (config.audit_stdout)
        audit = [](const nal::audit_event& e) { std::printf("AUDIT %s\n", nal::to_json(e).c_str()); };
    nal_config cfg(std::move(config.nal), *nal::mapper_named(config.mapper), std::move(audit),
                   authpp::asio_transport(ioc.get_executor()), authpp::system_clock{}, store);
    std::printf("mode: nal, store: %s, mapper: %s\n", config.redis.url.empty() ? "memory" : "redis",
                config.mapper.c_str());
    return example::serve(ioc, config.listen, address, nal_app(cfg));
}
