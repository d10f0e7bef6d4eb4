// authpp/separate/blocking_src.hpp — blocking_auth's separately compiled
// part (<authpp/src.hpp> includes it; see there).
#pragma once

#include <authpp/separate/require_macro.hpp>

#include <authpp/blocking.hpp>

namespace authpp {

template class basic_auth_config<blocking_transport, authjs_codec, system_clock, memory_store, prefix_matcher>;
template http::server_response handle_auth_request<blocking_auth>(blocking_auth&, const http::server_request&);
template middleware_result run_middleware<blocking_auth>(blocking_auth&, const http::server_request&);

} // namespace authpp
