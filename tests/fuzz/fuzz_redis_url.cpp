// store/redis_url.hpp (all its forms, cluster ones included): any bytes are either refused with an authpp.redis
// error or parsed into a URL whose redacted form parses back to the same
// place, with the password (and only it) replaced by "***".
#include "fuzz_common.hpp"

#include <authpp/store/redis_url.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto in = authpp_fuzz::as_view(data, size);
    const auto parsed = authpp::parse_redis_url(in);
    if (!parsed) {
        FUZZ_CHECK(&parsed.error().category() == &authpp::redis_category());
        return 0;
    }
    const auto& u = *parsed;
    FUZZ_CHECK(!u.tls || u.transport == authpp::redis_url::kind::tcp);
    FUZZ_CHECK(!(u.sentinel() && u.cluster()));
    if (u.cluster()) {
        FUZZ_CHECK(u.transport == authpp::redis_url::kind::tcp);
        FUZZ_CHECK(u.database == 0); // a cluster has database 0 only
        for (const auto& n : u.cluster_nodes) FUZZ_CHECK(!n.host.empty() && n.port != 0);
    } else if (u.sentinel()) {
        FUZZ_CHECK(u.transport == authpp::redis_url::kind::tcp);
        FUZZ_CHECK(!u.master_name.empty());
        for (const auto& s : u.sentinels) FUZZ_CHECK(!s.host.empty() && s.port != 0);
    } else if (u.transport == authpp::redis_url::kind::tcp) {
        FUZZ_CHECK(!u.host.empty());
        FUZZ_CHECK(u.port != 0);
        FUZZ_CHECK(u.master_name.empty());
    } else {
        FUZZ_CHECK(u.socket_path.size() >= 2 && u.socket_path.front() == '/');
        FUZZ_CHECK(u.socket_path.find('\0') == std::string::npos);
    }
    FUZZ_CHECK(u.database >= 0);

    const auto redacted = u.redacted();
    const auto back = authpp::parse_redis_url(redacted);
    FUZZ_CHECK(back.has_value());
    FUZZ_CHECK(back->transport == u.transport);
    FUZZ_CHECK(back->tls == u.tls); // redaction never turns rediss:// (or rediss-sentinel://) into plain text
    FUZZ_CHECK(back->host == u.host);
    FUZZ_CHECK(back->port == u.port);
    FUZZ_CHECK(back->socket_path == u.socket_path);
    FUZZ_CHECK(back->database == u.database);
    FUZZ_CHECK(back->master_name == u.master_name);
    FUZZ_CHECK(back->sentinels.size() == u.sentinels.size());
    for (std::size_t i = 0; i < u.sentinels.size() && i < back->sentinels.size(); ++i)
        FUZZ_CHECK(back->sentinels[i].host == u.sentinels[i].host && back->sentinels[i].port == u.sentinels[i].port);
    FUZZ_CHECK(back->cluster_nodes.size() == u.cluster_nodes.size());
    for (std::size_t i = 0; i < u.cluster_nodes.size() && i < back->cluster_nodes.size(); ++i)
        FUZZ_CHECK(back->cluster_nodes[i].host == u.cluster_nodes[i].host &&
                   back->cluster_nodes[i].port == u.cluster_nodes[i].port);
    FUZZ_CHECK(back->user == u.user);
    FUZZ_CHECK(back->authenticates() == u.authenticates());
    if (u.authenticates()) FUZZ_CHECK(back->password == "***");
    return 0;
}
