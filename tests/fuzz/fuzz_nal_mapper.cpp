// nal/mapper.hpp and nal/classify.hpp on arbitrary bytes: every preset reads
// any JSON without throwing, a valid reading has a non-empty type and only a
// positive exp, tokens are non-empty; parse_iso8601 on the raw text gives a
// time that to_civil turns back into the same fields.
#include "fuzz_common.hpp"

#include <authpp/detail/civil_time.hpp>
#include <authpp/nal/classify.hpp>

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace authpp;
    const std::string_view in = authpp_fuzz::as_view(data, size);

    http::response r;
    r.status = 200;
    r.body = std::string(in);
    for (const char* name : {"standard", "django", "dotnet", "express"}) {
        const auto m = *nal::mapper_named(name);
        const auto v = nal::classify_validation({}, r, m);
        FUZZ_CHECK(v.what != nal::validity::unavailable); // a 2xx is never transient
        if (v.what == nal::validity::valid) {
            FUZZ_CHECK(!v.info.token_type.empty());
            FUZZ_CHECK(!v.info.exp || *v.info.exp > 0);
        }
        for (const auto& t :
             {nal::classify_issued({}, r, m.refreshed_token), nal::classify_issued({}, r, m.guest_token)})
            FUZZ_CHECK((t.what == nal::validity::valid) == !t.token.empty());
    }

    if (const auto t = detail::parse_iso8601(in)) {
        const auto c = detail::to_civil(*t);
        FUZZ_CHECK(c.month >= 1 && c.month <= 12 && c.day >= 1 && c.day <= 31);
        FUZZ_CHECK(detail::days_from_civil(c.year, c.month, c.day) * 86400 + c.hour * 3600 + c.minute * 60 + c.second ==
                   *t);
    }
    return 0;
}
