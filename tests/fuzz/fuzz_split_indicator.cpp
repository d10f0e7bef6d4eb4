// split/cookies.hpp on arbitrary bytes: the session indicator (ISO 8601 or
// the reference's Date.toUTCString(), maybe percent-encoded) and the
// one-pass Cookie reader. An indicator that reads as a date writes back as
// ISO 8601 and reads again as the same millisecond; the reader's values are
// non-empty views into the header.
#include "fuzz_common.hpp"

#include <authpp/split/cookies.hpp>

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace authpp;
    const std::string_view in = authpp_fuzz::as_view(data, size);

    if (const auto ms = split::read_indicator(in)) {
        // Years 0..9999 write as four digits and read back exactly.
        if (*ms >= -62'167'219'200'000 && *ms <= 253'402'300'799'999) {
            const auto written = split::indicator_value(*ms);
            FUZZ_CHECK(split::read_indicator(written) == ms);
        }
    }

    static const split::split_options o;
    const auto c = split::read_cookies(o, in);
    for (const auto& v : {c.access, c.refresh, c.indicator})
        if (v) FUZZ_CHECK(!v->empty() && v->data() >= in.data() && v->data() + v->size() <= in.data() + in.size());
    return 0;
}
