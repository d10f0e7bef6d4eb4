// redis_env.hpp — the Redis Store's variables, shared by every mode of
// authpp-example-server: AUTHPP_REDIS_URL (any form redis_store takes, the
// Sentinel and Cluster ones included) and, for the TLS forms (rediss://,
// rediss-sentinel://, rediss-cluster://), the TLS files; for the Sentinel
// forms, the Sentinels' own credentials.
// A file is checked for reading here, at start-up, and loaded (PEM, a key
// matching its certificate) when the store is made; either failure stops
// the server naming the variable, never quoting the URL.
#pragma once

#include <fstream>
#include <string>
#include <string_view>
#include <utility>

namespace example {

struct redis_env {
    std::string url;       ///< AUTHPP_REDIS_URL: the Store (refresh locks, successors); empty: in memory
    std::string ca_file;   ///< AUTHPP_REDIS_CA_FILE: PEM CAs for rediss://; empty: the system trust store
    std::string cert_file; ///< AUTHPP_REDIS_CERT_FILE: a client certificate (PEM), with the key file
    std::string key_file;  ///< AUTHPP_REDIS_KEY_FILE: its unencrypted key (PEM)
    std::string sentinel_user;     ///< AUTHPP_REDIS_SENTINEL_USER: the Sentinels' ACL user; empty: default
    std::string sentinel_password; ///< AUTHPP_REDIS_SENTINEL_PASSWORD: the Sentinels' password; empty: none

    bool tls_files() const { return !ca_file.empty() || !cert_file.empty() || !key_file.empty(); }
};

/// The variables into `r`; the message naming the wrong one, or empty.
template <class Get>
std::string redis_from_env(Get&& get, redis_env& r) {
    r.url = std::string(get("AUTHPP_REDIS_URL"));
    r.ca_file = std::string(get("AUTHPP_REDIS_CA_FILE"));
    r.cert_file = std::string(get("AUTHPP_REDIS_CERT_FILE"));
    r.key_file = std::string(get("AUTHPP_REDIS_KEY_FILE"));
    r.sentinel_user = std::string(get("AUTHPP_REDIS_SENTINEL_USER"));
    r.sentinel_password = std::string(get("AUTHPP_REDIS_SENTINEL_PASSWORD"));
    if (!r.sentinel_user.empty() && r.sentinel_password.empty())
        return "AUTHPP_REDIS_SENTINEL_PASSWORD is needed with AUTHPP_REDIS_SENTINEL_USER (the Sentinels' password)";
    if (!r.sentinel_password.empty() && r.url.empty())
        return "AUTHPP_REDIS_SENTINEL_PASSWORD needs a redis-sentinel:// (or rediss-sentinel://) AUTHPP_REDIS_URL";
    if (!r.cert_file.empty() && r.key_file.empty())
        return "AUTHPP_REDIS_KEY_FILE is needed with AUTHPP_REDIS_CERT_FILE (the client certificate's key)";
    if (r.cert_file.empty() && !r.key_file.empty())
        return "AUTHPP_REDIS_CERT_FILE is needed with AUTHPP_REDIS_KEY_FILE (the client certificate)";
    if (r.tls_files() && r.url.empty())
        return "AUTHPP_REDIS_CA_FILE, AUTHPP_REDIS_CERT_FILE and AUTHPP_REDIS_KEY_FILE need a rediss:// (or "
               "rediss-sentinel://, rediss-cluster://) AUTHPP_REDIS_URL";
    for (const auto& [name, path] : {std::pair<const char*, const std::string&>{"AUTHPP_REDIS_CA_FILE", r.ca_file},
                                     {"AUTHPP_REDIS_CERT_FILE", r.cert_file},
                                     {"AUTHPP_REDIS_KEY_FILE", r.key_file}})
        if (!path.empty() && !std::ifstream(path).is_open())
            return std::string(name) + " cannot be read: give the path of a readable PEM file";
    return {};
}

} // namespace example
