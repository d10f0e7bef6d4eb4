// nal/identity.hpp on arbitrary bytes: decode_user never fails loudly, and
// what it decodes encodes back to a header that decodes to the same object.
#include "fuzz_common.hpp"

#include <authpp/nal/identity.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace authpp;
    const std::string_view in = authpp_fuzz::as_view(data, size);
    if (const auto u = nal::decode_user(in)) {
        const auto again = nal::decode_user(nal::encode_user(*u));
        FUZZ_CHECK(again && *again == *u);
    }
    // The bytes as a user name: a user object that could have come from a
    // backend's JSON (valid UTF-8) always survives the header.
    boost::json::object o;
    o["name"] = boost::json::string(in.substr(0, 1024));
    const auto json = boost::json::serialize(o);
    boost::system::error_code ec;
    (void)boost::json::parse(json, ec);
    if (!ec && json.size() * 4 / 3 + 4 < nal::max_user_header) {
        const auto back = nal::decode_user(nal::encode_user(o));
        FUZZ_CHECK(back && *back == o);
    }
    return 0;
}
