// authpp/separate/asio_config.hpp — one part of asio_auth's separately compiled
// code (<authpp/separate/asio_src.hpp> includes them all; see <authpp/src.hpp>).
#pragma once

#include <authpp/separate/require_macro.hpp>

#include <authpp/asio.hpp>

namespace authpp {

template class basic_auth_config<asio_transport, authjs_codec, system_clock, memory_store, prefix_matcher>;

} // namespace authpp
