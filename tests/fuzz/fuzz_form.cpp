// endpoints/form.hpp, redirect.hpp and action.hpp on arbitrary bytes: the
// form parse stays within its limits and round-trips through the encoder;
// the redirect check never hands back a URL that leaves the base origin;
// the action parser only names a provider where Auth.js allows one.
#include "fuzz_common.hpp"

#include <authpp/endpoints/action.hpp>
#include <authpp/endpoints/form.hpp>
#include <authpp/endpoints/redirect.hpp>
#include <authpp/url/form.hpp>
#include <authpp/url/url.hpp>

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace authpp;
    using namespace authpp::endpoints;
    const std::string_view in = authpp_fuzz::as_view(data, size);

    form_limits limits;
    limits.max_size = 4096;
    limits.max_fields = 16;
    auto f = parse_form(in, limits);
    if (in.size() > limits.max_size) FUZZ_CHECK(!f);
    if (f) {
        FUZZ_CHECK(f->size() <= limits.max_fields);
        // Encoding the decoded fields and parsing again gives them back.
        std::string again;
        for (const auto& [k, v] : f->entries()) {
            if (!again.empty()) again += '&';
            url::append_form_field(again, k, v);
        }
        form_limits big;
        big.max_size = again.size() + 1;
        auto g = parse_form(again, big);
        FUZZ_CHECK(g);
        FUZZ_CHECK(g->entries() == f->entries());
    }

    constexpr std::string_view base = "https://app.example.com";
    if (auto r = same_origin_redirect(in, base)) FUZZ_CHECK(url::origin_of(*r) == std::string(base));

    if (auto a = parse_action(in, "/api/auth"))
        FUZZ_CHECK(a->provider.empty() || a->action == action::signin || a->action == action::callback ||
                   a->action == action::webauthn_options);
    return 0;
}
