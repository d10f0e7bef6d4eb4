// authpp/options/environment.hpp — load_env(): the options Auth.js reads
// from the environment (AUTH_SECRET, AUTH_SECRET_1.._3, AUTH_URL).
#pragma once

#include <authpp/codec/secrets.hpp>
#include <authpp/options.hpp>

#include <cstdlib>
#include <string>
#include <string_view>

namespace authpp {

/// Fills what Auth.js reads from the environment and was not set already:
/// the secrets (AUTH_SECRET_3, _2, _1, AUTH_SECRET) and AUTH_URL (its origin
/// becomes base_url; a path in it becomes base_path).
template <class Getenv>
void load_env(auth_options& o, Getenv&& getenv_fn) {
    if (o.secrets.empty()) o.secrets = secrets_from_env(getenv_fn);
    if (const char* url = getenv_fn("AUTH_URL"); url && *url && o.base_url.empty()) {
        std::string_view u(url);
        const auto scheme = u.find("://");
        const auto path = scheme == std::string_view::npos ? std::string_view::npos : u.find('/', scheme + 3);
        o.base_url = std::string(u.substr(0, path));
        if (path != std::string_view::npos) {
            auto p = u.substr(path);
            while (p.size() > 1 && p.back() == '/') p.remove_suffix(1);
            if (p.size() > 1) o.base_path = std::string(p);
        }
    }
}

inline void load_env(auth_options& o) {
    load_env(o, [](const char* n) { return std::getenv(n); });
}

} // namespace authpp
