// refresh/successor_record.hpp: open() on arbitrary records (what a shared
// store may hand back), and seal() on what arbitrary token endpoint bodies
// parse to, whose record must open again to the same tokens.
#include "fuzz_common.hpp"

#include <authpp/oauth/refresh.hpp>
#include <authpp/refresh/successor_record.hpp>

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const authpp::refresh::successor_sealer sealer({std::string(authpp_fuzz::secret_new),
                                                          std::string(authpp_fuzz::secret_old)});
    const std::string_view in(reinterpret_cast<const char*>(data), size);
    const std::string key = "fuzz-token-key";
    const std::int64_t now_ms = authpp_fuzz::now * 1000;

    // A forged record never opens (no secret), and opening never crashes.
    if (auto t = sealer.open(key, in)) FUZZ_CHECK(!t->access_token.empty());

    const authpp::http::response resp{200, {}, std::string(in)};
    const auto rr = authpp::oauth::parse_refresh_response({}, resp, "old-refresh-token", now_ms);
    if (!rr.ok()) return 0;
    if (auto rec = sealer.seal(key, *rr.tokens)) {
        auto opened = sealer.open(key, *rec);
        FUZZ_CHECK(opened.has_value());
        FUZZ_CHECK(opened->access_token == rr.tokens->access_token);
        FUZZ_CHECK(opened->refresh_token == rr.tokens->refresh_token);
        FUZZ_CHECK(opened->id_token == rr.tokens->id_token);
        FUZZ_CHECK(opened->access_token_expires == rr.tokens->access_token_expires);
        FUZZ_CHECK(!sealer.open("another-key", *rec));
    }
    return 0;
}
