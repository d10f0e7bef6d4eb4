// split_env.hpp — authpp-example-server's mode split configuration, read
// from the environment. A bad value is refused with one line naming the
// variable, never quoting a secret.
//
//   AUTHPP_SPLIT_API_URL          the backend base (required, absolute http(s))
//   AUTHPP_SPLIT_PRESET           directus (default) | custom: the same JSON handlers, with (custom only)
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
//   shared by processes), AUTHPP_LISTEN, AUTHPP_THREADS, AUTHPP_REDIS_URL (and,
//   for rediss://, AUTHPP_REDIS_CA_FILE, AUTHPP_REDIS_CERT_FILE,
//   AUTHPP_REDIS_KEY_FILE; for redis-sentinel://, AUTHPP_REDIS_SENTINEL_PASSWORD
//   and _USER), AUTHPP_REQUEST_TIMEOUT_MS
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
    redis_env redis;
    std::string preset = "directus";
    authpp::split::json_handler_options backend;
    authpp::split::split_options split;
};

template <class Getenv>
std::variant<split_server_config, std::string> split_config_from_env(Getenv&& getenv_fn) {
    split_server_config c;
    const auto get = env_reader(getenv_fn);
    auto& l = c.listen;
    if (auto m = listen_from_env(get, l.host, l.port, l.threads, l.request_timeout, l.access_log); !m.empty()) return m;
    if (auto m = redis_from_env(get, c.redis); !m.empty()) return m;

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
    // The custom preset's paths and JSON pointers (the Directus preset's are
    // the defaults: with it, setting one is a mistake worth saying).
    struct custom_variable {
        const char* name;
        std::string_view option; // json_handler_options' name for it
        std::string* field;
        bool pointer;
    };
    const custom_variable custom[] = {
        {"AUTHPP_SPLIT_LOGIN_PATH", "login_path", &b.login_path, false},
        {"AUTHPP_SPLIT_REFRESH_PATH", "refresh_path", &b.refresh_path, false},
        {"AUTHPP_SPLIT_LOGOUT_PATH", "logout_path", &b.logout_path, false},
        {"AUTHPP_SPLIT_PTR_ACCESS", "access_pointer", &b.access_pointer, true},
        {"AUTHPP_SPLIT_PTR_REFRESH", "refresh_pointer", &b.refresh_pointer, true},
        {"AUTHPP_SPLIT_PTR_EXPIRES", "expires_pointer", &b.expires_pointer, true}};
    for (const auto& v : custom) {
        const auto value = get(v.name);
        if (value.empty()) continue;
        if (c.preset != "custom") return std::string(v.name) + " needs AUTHPP_SPLIT_PRESET=custom";
        if (v.pointer && !authpp::split::json_handler_options::is_json_pointer(value))
            return std::string(v.name) + " must be a JSON pointer starting with '/' (e.g. /data/access_token)";
        if (!v.pointer && (!value.starts_with('/') || value.find_first_of("?# ") != std::string_view::npos))
            return std::string(v.name) + " must be a path starting with '/'";
        *v.field = std::string(value);
    }
    if (auto p = b.validate()) {
        for (const auto& v : custom)
            if (p->option == v.option) return std::string(v.name) + ": " + p->why;
        return "AUTHPP_SPLIT_API_URL: " + p->why;
    }

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
