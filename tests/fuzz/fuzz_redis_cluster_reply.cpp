// store/detail/redis_cluster.hpp's parsers of what a cluster node sends:
// the input's first byte picks one. Even: the rest is an error text read as
// a MOVED / ASK redirection. Odd: the rest is fed to hiredis's reader as
// RESP, and a whole reply is read as CLUSTER SLOTS. Either parse refuses
// (nullopt) or yields only slots in 0..16383, ranges in order, and hosts
// and ports a connection could use.
#include "fuzz_common.hpp"

#include <authpp/store/detail/redis_cluster.hpp>

namespace {

/// Whether a RESP array header in `in` declares more than 4096 elements:
/// hiredis 0.14's reader allocates an array's element table as soon as it
/// reads the header, so "*666666666" costs gigabytes before any element
/// arrives — the reader's limit, not the parser's business (and a server
/// authpp connects to is trusted that far), so such inputs are skipped.
bool declares_huge_array(std::string_view in) {
    for (std::size_t i = in.find('*'); i != std::string_view::npos; i = in.find('*', i + 1)) {
        std::size_t n = 0, j = i + 1;
        while (j < in.size() && in[j] >= '0' && in[j] <= '9' && n <= 4096)
            n = n * 10 + static_cast<std::size_t>(in[j++] - '0');
        if (n > 4096) return true;
    }
    return false;
}

void check(const authpp::redis_endpoint& e) {
    FUZZ_CHECK(!e.host.empty());
    FUZZ_CHECK(e.port != 0);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const auto in = authpp_fuzz::as_view(data + 1, size - 1);
    if (data[0] % 2 == 0) {
        if (const auto r = authpp::detail::parse_redirect(in, "10.0.0.9")) {
            FUZZ_CHECK(r->slot < authpp::detail::redis_slot_count);
            FUZZ_CHECK(in.starts_with(r->ask ? "ASK " : "MOVED "));
            check(r->to);
        }
        return 0;
    }
    if (declares_huge_array(in)) return 0;
    std::unique_ptr<redisReader, authpp::detail::redis_reader_free> reader(redisReaderCreate());
    void* raw = nullptr;
    if (redisReaderFeed(reader.get(), in.data(), in.size()) != REDIS_OK ||
        redisReaderGetReply(reader.get(), &raw) != REDIS_OK || !raw)
        return 0;
    const authpp::detail::redis_reply reply(static_cast<redisReply*>(raw));
    if (const auto ranges = authpp::detail::parse_cluster_slots(*reply, "10.0.0.9")) {
        FUZZ_CHECK(!ranges->empty());
        for (const auto& r : *ranges) {
            FUZZ_CHECK(r.first <= r.last);
            FUZZ_CHECK(r.last < authpp::detail::redis_slot_count);
            check(r.master);
        }
    }
    return 0;
}
