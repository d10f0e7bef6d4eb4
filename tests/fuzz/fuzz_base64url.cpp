// crypto/base64.hpp: strict decoding of arbitrary text, checked against a
// plain reference decoder (so the AVX2 path is checked against the scalar
// rules), plus encode(decode(x)) == x and decode(encode(bytes)) == bytes.
#include "fuzz_common.hpp"

#include <authpp/crypto/base64.hpp>

#include <memory>
#include <optional>
#include <span>
#include <string>

namespace {

// RFC 4648 §5 without padding, one bit at a time; nullopt where the strict
// rules reject: a character outside the alphabet, a length of 4k+1, or
// non-zero unused bits in the last character.
std::optional<std::string> reference_decode(std::string_view in) {
    if (in.size() % 4 == 1) return std::nullopt;
    std::string out;
    std::uint32_t acc = 0;
    int bits = 0;
    for (char ch : in) {
        int v;
        if (ch >= 'A' && ch <= 'Z') v = ch - 'A';
        else if (ch >= 'a' && ch <= 'z') v = ch - 'a' + 26;
        else if (ch >= '0' && ch <= '9') v = ch - '0' + 52;
        else if (ch == '-') v = 62;
        else if (ch == '_') v = 63;
        else return std::nullopt;
        acc = (acc << 6 | static_cast<std::uint32_t>(v)) & 0xffffff;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((acc >> bits) & 0xff);
        }
    }
    if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) return std::nullopt;
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace authpp::crypto;
    const std::string_view in = authpp_fuzz::as_view(data, size);

    // Text → bytes.
    const auto expected = reference_decode(in);
    const auto got = base64url_decode(in);
    FUZZ_CHECK(got.has_value() == expected.has_value());
    if (got) {
        FUZZ_CHECK(*got == *expected);
        FUZZ_CHECK(got->size() == base64url_decoded_size(in.size()));
        FUZZ_CHECK(base64url_encode(*got) == in);
    } else {
        FUZZ_CHECK(got.error() == authpp::error::bad_base64url);
    }

    // The pointer overload into a buffer of exactly the documented size on
    // the heap, so ASan sees any write past it (the AVX2 stores are 32 bytes).
    const std::size_t cap = base64url_decoded_size(in.size());
    auto buf = std::make_unique<std::uint8_t[]>(cap);
    const auto n = base64url_decode(in, buf.get());
    FUZZ_CHECK(n.has_value() == expected.has_value());
    if (n) FUZZ_CHECK(*n == cap && std::string_view(reinterpret_cast<const char*>(buf.get()), *n) == *expected);

    // Bytes → text → bytes.
    const std::string enc = base64url_encode(std::span<const std::uint8_t>(data, size));
    FUZZ_CHECK(enc.size() == base64url_encoded_size(size));
    const auto back = base64url_decode(enc);
    FUZZ_CHECK(back && *back == in);
    return 0;
}
