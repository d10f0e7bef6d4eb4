// nal_env.hpp — authpp-example-server's mode nal configuration, read from
// the environment. A bad value is refused with one line naming the variable,
// never quoting a password or secret.
//
//   AUTHPP_NAL_API_URL           the backend base (required, absolute http(s))
//   AUTHPP_NAL_GUEST_USERNAME, AUTHPP_NAL_GUEST_PASSWORD   guest tokens (both, or neither)
//   AUTHPP_NAL_CACHE_TTL_MS      validation cache TTL (2000; 0: off)
//   AUTHPP_NAL_CACHE_MAX         its bound (100)
//   AUTHPP_NAL_MAPPER            standard | django | dotnet | express
//   AUTHPP_NAL_ALLOWED_TYPES     token types let in (comma list; empty: all)
//   AUTHPP_NAL_AUTH_ROUTES       auth routes (/login)
//   AUTHPP_NAL_AUDIT             off | stdout (one line "AUDIT {json}" per event)
//   AUTHPP_PROTECTED (/dashboard), AUTHPP_PUBLIC, AUTH_URL (plain http: no Secure),
//   AUTH_SECRET (seals refresh successor records; shared by processes),
//   AUTHPP_LISTEN, AUTHPP_THREADS, AUTHPP_REDIS_URL (and, for rediss://,
//   AUTHPP_REDIS_CA_FILE, AUTHPP_REDIS_CERT_FILE, AUTHPP_REDIS_KEY_FILE; for
//   redis-sentinel://, AUTHPP_REDIS_SENTINEL_PASSWORD and _USER),
//   AUTHPP_REQUEST_TIMEOUT_MS
#pragma once

#include "env_config.hpp"
#include "serve.hpp"

#include <authpp/nal/mapper.hpp>
#include <authpp/nal/options.hpp>

#include <string>
#include <string_view>
#include <variant>

namespace example {

struct nal_server_config {
    listen_config listen;
    redis_env redis;
    std::string mapper = "standard";
    bool audit_stdout = false;
    authpp::nal::nal_options nal;
};

template <class Getenv>
std::variant<nal_server_config, std::string> nal_config_from_env(Getenv&& getenv_fn) {
    nal_server_config c;
    const auto get = env_reader(getenv_fn);
    auto& l = c.listen;
    if (auto m = listen_from_env(get, l.host, l.port, l.threads, l.request_timeout, l.access_log); !m.empty()) return m;
    if (auto m = redis_from_env(get, c.redis); !m.empty()) return m;

    auto& o = c.nal;
    o.api_base_url = std::string(get("AUTHPP_NAL_API_URL"));
    if (o.api_base_url.empty()) return std::string("AUTHPP_NAL_API_URL is not set (the backend base, e.g. http://127.0.0.1:8000/)");
    if (!authpp::url::is_absolute_http_url(o.api_base_url) || !authpp::url::parse_http_url(o.api_base_url))
        return std::string("AUTHPP_NAL_API_URL must be an absolute http:// or https:// URL");
    const auto user = get("AUTHPP_NAL_GUEST_USERNAME"), password = get("AUTHPP_NAL_GUEST_PASSWORD");
    if (!user.empty() && password.empty()) return std::string("AUTHPP_NAL_GUEST_PASSWORD is needed with AUTHPP_NAL_GUEST_USERNAME");
    if (user.empty() && !password.empty()) return std::string("AUTHPP_NAL_GUEST_USERNAME is needed with AUTHPP_NAL_GUEST_PASSWORD");
    if (!user.empty()) o.guest = authpp::nal::guest_credentials{std::string(user), std::string(password)};
    if (auto v = get("AUTHPP_NAL_CACHE_TTL_MS"); !v.empty()) {
        const auto n = parse_number<unsigned>(v);
        if (!n || *n > 3'600'000) return std::string("AUTHPP_NAL_CACHE_TTL_MS must be milliseconds from 0 to 3600000");
        o.cache_ttl = std::chrono::milliseconds(*n);
    }
    if (auto v = get("AUTHPP_NAL_CACHE_MAX"); !v.empty()) {
        const auto n = parse_number<unsigned>(v);
        if (!n || *n > 1'000'000) return std::string("AUTHPP_NAL_CACHE_MAX must be a number from 0 to 1000000");
        o.cache_max_entries = *n;
    }
    if (auto v = get("AUTHPP_NAL_MAPPER"); !v.empty()) {
        if (!authpp::nal::mapper_named(v)) return std::string("AUTHPP_NAL_MAPPER must be standard, django, dotnet or express");
        c.mapper = std::string(v);
    }
    o.allowed_types = split_list(get("AUTHPP_NAL_ALLOWED_TYPES"));
    if (auto v = get("AUTHPP_NAL_AUTH_ROUTES"); !v.empty()) o.auth_routes = split_list(v);
    for (const auto& p : o.auth_routes)
        if (!p.starts_with('/')) return std::string("AUTHPP_NAL_AUTH_ROUTES: every path must start with '/'");
    if (auto v = get("AUTHPP_NAL_AUDIT"); !v.empty()) {
        if (v == "stdout") c.audit_stdout = true;
        else if (v != "off") return std::string("AUTHPP_NAL_AUDIT must be off or stdout");
    }
    o.protected_routes = split_list(get("AUTHPP_PROTECTED").empty() ? "/dashboard" : get("AUTHPP_PROTECTED"));
    o.public_routes = split_list(get("AUTHPP_PUBLIC"));
    for (const auto& p : o.protected_routes)
        if (!p.starts_with('/')) return std::string("AUTHPP_PROTECTED: every prefix must start with '/'");
    for (const auto& p : o.public_routes)
        if (!p.starts_with('/')) return std::string("AUTHPP_PUBLIC: every prefix must start with '/'");
    if (auto m = secure_from_env(get, o.cookies.secure); !m.empty()) return m;
    if (auto v = get("AUTH_SECRET"); !v.empty()) o.secrets = {std::string(v)};
    if (auto p = o.validate()) return "AUTHPP_NAL configuration: " + p->option + " " + p->why;
    return c;
}

} // namespace example
