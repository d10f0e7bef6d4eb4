// authpp/codec/secrets.hpp — the secret list, read from the environment the
// way Auth.js reads it.
#pragma once

#include <cstdlib>
#include <string>
#include <vector>

namespace authpp {

/// Secrets in Auth.js's order: AUTH_SECRET_3, AUTH_SECRET_2, AUTH_SECRET_1,
/// then AUTH_SECRET (each only when set and non-empty). The first one
/// encodes; all of them decode, so rotation is: put the new secret in
/// AUTH_SECRET_1 (or move the old one to AUTH_SECRET_1 and set a new
/// AUTH_SECRET — whichever comes first in this order encodes).
template <class Getenv>
std::vector<std::string> secrets_from_env(Getenv&& getenv_fn) {
    std::vector<std::string> out;
    for (const char* name : {"AUTH_SECRET_3", "AUTH_SECRET_2", "AUTH_SECRET_1", "AUTH_SECRET"}) {
        const char* v = getenv_fn(name);
        if (v && *v) out.emplace_back(v);
    }
    return out;
}

inline std::vector<std::string> secrets_from_env() {
    return secrets_from_env([](const char* n) { return std::getenv(n); });
}

} // namespace authpp
