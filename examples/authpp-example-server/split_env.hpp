// split_env.hpp — authpp-example-server's mode split configuration, read
// from the environment. A bad value is refused with one line naming the
// variable, never quoting a secret.
//
//   AUTHPP_SPLIT_API_URL          the backend base (required, absolute http(s))
//   AUTHPP_SPLIT_PRESET           directus (default) | custom: the same JSON handlers, with
//   AUTHPP_SPLIT_LOGIN_PATH, AUTHPP_SPLIT_REFRESH_PATH, AUTHPP_SPLIT_LOGOUT_PATH
//                                 (/auth/login, /auth/refresh, /auth/logout) and the JSON pointers
//   AUTHPP_SPLIT_PTR_ACCESS, AUTHPP_SPLIT_PTR_REFRESH, AUTHPP_SPLIT_PTR_EXPIRES
//                                 (/data/access_token, /data/refresh_token, /data/expires)
//   AUTHPP_SPLIT_BASE_PATH        the handlers' base (/api/auth)
//   AUTHPP_SPLIT_ACCESS_COOKIE, AUTHPP_SPLIT_REFRESH_COOKIE, AUTHPP_SPLIT_INDICATOR_COOKIE
//                                 (access_token, refresh_token, session)
//   AUTHPP_SPLIT_REFRESH_MARGIN_S seconds before expiry a session refreshes (30)
//   AUTHPP_SPLIT_LOGIN_URL (/login), AUTHPP_SPLIT_APP_URL (/app)
//   AUTH_URL (plain http: no Secure), AUTH_SECRET (seals refresh successor records;
//   shared by processes), AUTHPP_LISTEN, AUTHPP_THREADS, AUTHPP_REDIS_URL,
//   AUTHPP_REQUEST_TIMEOUT_MS
#pragma once

#include "env_config.hpp"
#include "serve.hpp"

#include <authpp/split/handlers.hpp>
#include <authpp/split/options.hpp>

#include <string>
#include <string_view>
#include <variant>

namespace example {

struct split_server_config {
    listen_config listen;
    std::string redis_url;
    std::string preset = "directus";
    authpp::split::json_handler_options backend;
    authpp::split::split_options split;
};

template <class Getenv>
std::variant<split_server_config, std::string> split_config_from_env(Getenv&& getenv_fn) {
    split_server_config c;
    const auto get = env_reader(getenv_fn);
    auto& l = c.listen;
    if (auto m = listen_from_env(get, l.host, l.port, l.threads, l.request_timeout); !m.empty()) return m;
    c.redis_url = std::string(get("AUTHPP_REDIS_URL"));

    auto& b = c.backend;
    b.url = std::string(get("AUTHPP_SPLIT_API_URL"));
    if (b.url.empty()) return std::string("AUTHPP_SPLIT_API_URL is not set (the backend base, e.g. http://127.0.0.1:8055)");
    if (!authpp::url::is_absolute_http_url(b.url) || !authpp::url::parse_http_url(b.url) ||
        b.url.find_first_of("?#") != std::string::npos)
        return std::string("AUTHPP_SPLIT_API_URL must be an absolute http:// or https:// URL without query");
    if (auto v = get("AUTHPP_SPLIT_PRESET"); !v.empty()) {
        if (v != "directus" && v != "custom") return std::string("AUTHPP_SPLIT_PRESET must be directus or custom");
        c.preset = std::string(v);
    }
    const std::pair<const char*, std::string*> paths[] = {{"AUTHPP_SPLIT_LOGIN_PATH", &b.login_path},
                                                          {"AUTHPP_SPLIT_REFRESH_PATH", &b.refresh_path},
                                                          {"AUTHPP_SPLIT_LOGOUT_PATH", &b.logout_path}};
    for (const auto& [name, field] : paths)
        if (auto v = get(name); !v.empty()) {
            if (!v.starts_with('/') || v.find_first_of("?# ") != std::string_view::npos)
                return std::string(name) + " must be a path starting with '/'";
            *field = std::string(v);
        }
    const std::pair<const char*, std::string*> pointers[] = {{"AUTHPP_SPLIT_PTR_ACCESS", &b.access_pointer},
                                                             {"AUTHPP_SPLIT_PTR_REFRESH", &b.refresh_pointer},
                                                             {"AUTHPP_SPLIT_PTR_EXPIRES", &b.expires_pointer}};
    for (const auto& [name, field] : pointers)
        if (auto v = get(name); !v.empty()) {
            if (!authpp::split::json_handler_options::is_json_pointer(v))
                return std::string(name) + " must be a JSON pointer starting with '/' (e.g. /data/access_token)";
            *field = std::string(v);
        }
    if (auto p = b.validate()) return "AUTHPP_SPLIT backend: " + p->option + " " + p->why;

    auto& o = c.split;
    if (auto v = get("AUTHPP_SPLIT_BASE_PATH"); !v.empty()) o.base_path = std::string(v);
    if (auto v = get("AUTHPP_SPLIT_ACCESS_COOKIE"); !v.empty()) o.cookies.access = std::string(v);
    if (auto v = get("AUTHPP_SPLIT_REFRESH_COOKIE"); !v.empty()) o.cookies.refresh = std::string(v);
    if (auto v = get("AUTHPP_SPLIT_INDICATOR_COOKIE"); !v.empty()) o.cookies.indicator = std::string(v);
    if (auto v = get("AUTHPP_SPLIT_REFRESH_MARGIN_S"); !v.empty()) {
        const auto n = parse_number<unsigned>(v);
        if (!n || *n > 86'400) return std::string("AUTHPP_SPLIT_REFRESH_MARGIN_S must be seconds from 0 to 86400");
        o.refresh_margin = std::chrono::seconds(*n);
    }
    if (auto v = get("AUTHPP_SPLIT_LOGIN_URL"); !v.empty()) o.login_url = std::string(v);
    if (auto v = get("AUTHPP_SPLIT_APP_URL"); !v.empty()) o.app_url = std::string(v);
    if (auto m = secure_from_env(get, o.cookies.secure); !m.empty()) return m;
    if (auto v = get("AUTH_SECRET"); !v.empty()) o.secrets = {std::string(v)};
    if (auto p = o.validate()) {
        // The variable that set the option, by the option's name.
        const std::pair<std::string_view, const char*> names[] = {
            {"base_path", "AUTHPP_SPLIT_BASE_PATH"},       {"cookies.access", "AUTHPP_SPLIT_ACCESS_COOKIE"},
            {"cookies.refresh", "AUTHPP_SPLIT_REFRESH_COOKIE"}, {"cookies.indicator", "AUTHPP_SPLIT_INDICATOR_COOKIE"},
            {"login_url", "AUTHPP_SPLIT_LOGIN_URL"},       {"app_url", "AUTHPP_SPLIT_APP_URL"}};
        for (const auto& [option, variable] : names)
            if (p->option == option) return std::string(variable) + ": " + p->why;
        return "AUTHPP_SPLIT configuration: " + p->option + " " + p->why;
    }
    return c;
}

} // namespace example
