// authpp/separate/blocking.hpp — blocking_auth with
// AUTHPP_SEPARATE_COMPILATION (included by <authpp/blocking.hpp> then; not a
// header to include yourself): the config, its session flow, the middleware
// and the Auth.js actions are compiled once, in the translation unit that
// includes <authpp/src.hpp>; your translation units only call them.
#pragma once

#include <authpp/blocking.hpp>

namespace authpp {

extern template class basic_auth_config<blocking_transport, authjs_codec, system_clock, memory_store, prefix_matcher>;
extern template http::server_response handle_auth_request<blocking_auth>(blocking_auth&, const http::server_request&);
extern template middleware_result run_middleware<blocking_auth>(blocking_auth&, const http::server_request&);

} // namespace authpp
