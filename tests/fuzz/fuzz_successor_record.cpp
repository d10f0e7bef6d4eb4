// refresh/successor_record.hpp: open() on arbitrary records (what a shared
// store may hand back), and seal() on arbitrary token endpoint bodies, whose
// record must open again to an answer with the same access token.
#include "fuzz_common.hpp"

#include <authpp/refresh/successor_record.hpp>

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const authpp::refresh::successor_sealer sealer({std::string(authpp_fuzz::secret_new),
                                                          std::string(authpp_fuzz::secret_old)});
    const std::string_view in(reinterpret_cast<const char*>(data), size);
    const std::string key = "fuzz-token-key";
    const std::int64_t now_ms = authpp_fuzz::now * 1000;

    // A forged record never opens (no secret), and opening never crashes.
    if (auto r = sealer.open(key, in, now_ms)) FUZZ_CHECK(r->status == 200);

    authpp::http::response resp{200, {}, std::string(in)};
    if (auto rec = sealer.seal(key, resp, now_ms)) {
        auto opened = sealer.open(key, *rec, now_ms);
        FUZZ_CHECK(opened.has_value());
        FUZZ_CHECK(!sealer.open("another-key", *rec, now_ms));
    }
    return 0;
}
