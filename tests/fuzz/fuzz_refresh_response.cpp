// oauth/refresh.hpp parse_refresh_response() on arbitrary bodies and status
// codes (the first input byte picks the status, or a transport failure), and
// oauth/credentials.hpp parse_credentials() / verify_userinfo() on the same
// body.
#include "fuzz_common.hpp"

#include <authpp/oauth/credentials.hpp>
#include <authpp/oauth/refresh.hpp>

#include <array>
#include <string>

namespace {

constexpr std::int64_t now_ms = authpp_fuzz::now * 1000;
constexpr std::string_view old_refresh_token = "old-refresh-token";

constexpr std::array<int, 16> statuses = {200, 201, 204, 299, 300, 302, 400, 401,
                                          403, 408, 429, 500, 502, 503, 0,   -1};

// The status a selector byte stands for; nullopt: a transport failure.
std::optional<int> status_for(std::uint8_t b) {
    if (b < statuses.size()) return statuses[b];
    if (b == 0xff) return std::nullopt;
    return 100 + 2 * (b - static_cast<int>(statuses.size()));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace authpp;
    if (size == 0) return 0;
    const auto status = status_for(data[0]);
    http::response r;
    r.status = status.value_or(0);
    r.body.assign(reinterpret_cast<const char*>(data + 1), size - 1);
    const error_code transport = status ? error_code{} : make_error_code(boost::system::errc::timed_out);

    const auto res = oauth::parse_refresh_response(transport, r, old_refresh_token, now_ms);
    FUZZ_CHECK(res.ok() == !res.error);
    if (res.ok()) {
        FUZZ_CHECK(r.status >= 200 && r.status < 300);
        FUZZ_CHECK(!res.tokens->access_token.empty() && !res.tokens->refresh_token.empty());
        FUZZ_CHECK(res.tokens->access_token_expires >= 0);
    } else {
        FUZZ_CHECK(res.error == error::refresh_rejected || res.error == error::refresh_unavailable ||
                   res.error == error::bad_token_response);
        FUZZ_CHECK(!res.error_text.empty());
        if (!status || r.status >= 500 || r.status == 429 || r.status == 408) FUZZ_CHECK(res.transient());
        else if (r.status < 200 || r.status >= 300) FUZZ_CHECK(res.error == error::refresh_rejected);
        else FUZZ_CHECK(res.error == error::bad_token_response && res.transient());
    }

    // The same body as the client's tokens, then as the userinfo answer.
    const auto tokens = oauth::parse_credentials(r.body);
    if (!tokens) {
        FUZZ_CHECK(tokens.error() == error::invalid_credentials);
        return 0;
    }
    FUZZ_CHECK(!tokens->access_token.empty() && !tokens->sub.empty());
    const auto user = oauth::verify_userinfo(transport, r, *tokens);
    if (user) {
        FUZZ_CHECK(!transport && r.status >= 200 && r.status < 300);
        FUZZ_CHECK(user->sub == tokens->sub && user->access_token == tokens->access_token);
    } else {
        FUZZ_CHECK(user.error() == error::userinfo_rejected || user.error() == error::userinfo_mismatch);
    }
    return 0;
}
