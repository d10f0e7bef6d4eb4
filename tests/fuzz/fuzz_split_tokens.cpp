// split/handlers.hpp, split/context.hpp and split/handler.hpp's parsers on
// arbitrary bytes: a backend's login/refresh answer read at the Directus
// pointers (and at pointers taken from the input), the refresh step's
// reading of it, and a login body as JSON and as a form. Nothing throws; an
// accepted answer has two non-empty tokens a cookie can hold and a lifetime
// in (0, max_lifetime_ms]; accepted credentials are two non-empty strings.
#include "fuzz_common.hpp"

#include <authpp/split/context.hpp>
#include <authpp/split/handler.hpp>

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace authpp;
    const std::string_view in = authpp_fuzz::as_view(data, size);
    static const split::context cx{split::split_options{}, split::directus_handlers("http://directus.test")};

    const auto good = [](const std::optional<split::session_tokens>& t) {
        return !t || (!t->access_token.empty() && !t->refresh_token.empty() && t->lifetime_ms > 0 &&
                      t->lifetime_ms <= split::max_lifetime_ms);
    };
    FUZZ_CHECK(good(cx.backend.login.parse(in)));

    // "pointer\npointer\npointer\nbody": pointers the input chooses.
    std::string_view rest = in;
    std::string_view ptr[3];
    for (auto& p : ptr) {
        const auto nl = rest.find('\n');
        p = rest.substr(0, nl);
        rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
    }
    FUZZ_CHECK(good(split::read_tokens(rest, ptr[0], ptr[1], ptr[2])));

    http::response r{200, {}, std::string(in)};
    const auto issued = split::read_issued(cx.options, cx.backend.refresh.parse, {}, r);
    FUZZ_CHECK(issued.what != split::answer::refused); // a 2xx never refuses
    if (issued.what == split::answer::ok) {
        FUZZ_CHECK(issued.tokens && good(issued.tokens));
        FUZZ_CHECK(split::cookie_safe(cx.options, cx.options.cookies.access, issued.tokens->access_token));
        FUZZ_CHECK(split::cookie_safe(cx.options, cx.options.cookies.refresh, issued.tokens->refresh_token));
        const auto lines = split::session_cookies(cx.options, issued.tokens->access_token,
                                                  issued.tokens->refresh_token, 1'800'000'000'000 + issued.tokens->lifetime_ms);
        FUZZ_CHECK(lines && lines->size() == 3);
    }
    const auto rr = split::read_refresh(&cx, {}, r, "old", 1'800'000'000'000);
    FUZZ_CHECK(rr.ok() == (issued.what == split::answer::ok));
    FUZZ_CHECK(rr.ok() || rr.transient());

    for (const char* type : {"application/json", "application/x-www-form-urlencoded"}) {
        const auto creds = split::read_credentials(type, in);
        FUZZ_CHECK(!creds || (!creds->first.empty() && !creds->second.empty()));
    }
    return 0;
}
