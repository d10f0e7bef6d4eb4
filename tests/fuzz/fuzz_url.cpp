// url/url.hpp on arbitrary bytes: what parse_http_url() accepts has sane
// parts (a host without controls, a port 1..65535, a target that starts
// with '/' and holds no control, space or '#') and the parts written back as
// a URL parse to the same parts; the cheaper screens agree with it; and
// origin_of() gives a lower-case scheme://host[:port] or nothing.
//
// Input: the URL (any bytes).
#include "fuzz_common.hpp"

#include <authpp/url/url.hpp>

#include <charconv>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace authpp;
    const std::string_view in = authpp_fuzz::as_view(data, size);

    if (auto u = url::parse_http_url(in)) {
        FUZZ_CHECK(!u->host.empty());
        for (char c : u->host) FUZZ_CHECK(c > 0x20 && c != 0x7f && c != '/' && c != '\\' && c != '@');
        unsigned port = 0;
        const auto [p, ec] = std::from_chars(u->port.data(), u->port.data() + u->port.size(), port);
        FUZZ_CHECK(ec == std::errc{} && p == u->port.data() + u->port.size() && port >= 1 && port <= 65535);
        FUZZ_CHECK(!u->target.empty() && u->target[0] == '/');
        for (char c : u->target) FUZZ_CHECK(c > 0x20 && c != 0x7f && c != '#');
        FUZZ_CHECK(u->origin() == (u->tls ? "https://" : "http://") + u->host + ":" + u->port);
        // The screen refuses an authority that starts with ':', which the
        // parse takes as part of a host ("http://:a:80/": host ":a").
        FUZZ_CHECK(url::is_absolute_http_url(in) || in[u->tls ? 8 : 7] == ':');
        FUZZ_CHECK(url::has_scheme(in));
        // Written back (a host with ':' in brackets), it parses the same; not
        // for a host that holds a bracket itself ("http://[[a]": host "[a").
        const bool colon = u->host.find(':') != std::string::npos;
        if (u->host.find_first_of("[]") == std::string::npos) {
            const std::string again = (u->tls ? "https://" : "http://") + (colon ? "[" + u->host + "]" : u->host) +
                                      ":" + u->port + u->target;
            const auto v = url::parse_http_url(again);
            FUZZ_CHECK(v.has_value());
            FUZZ_CHECK(v->tls == u->tls && v->host == u->host && v->port == u->port && v->target == u->target);
        }
    }

    if (const auto o = url::origin_of(in)) {
        const std::string_view s = *o;
        const std::size_t scheme = s.starts_with("https://") ? 8 : s.starts_with("http://") ? 7 : 0;
        FUZZ_CHECK(scheme != 0);
        FUZZ_CHECK(s.size() > scheme && s[scheme] != ':');
        for (char c : s.substr(scheme))
            FUZZ_CHECK((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == ':' ||
                       c == '[' || c == ']');
        FUZZ_CHECK(url::is_absolute_http_url(in));
    }
    return 0;
}
