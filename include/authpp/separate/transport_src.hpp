// authpp/separate/transport_src.hpp — the transports' separately compiled
// part (<authpp/src.hpp> includes it; see there): blocking_transport's and
// asio_transport's members, and with them the one instantiation of each
// exchange (Beast, OpenSSL) the program has.
#pragma once

#include <authpp/separate/require_macro.hpp>

#include <authpp/transport/impl/asio_transport.ipp>
#include <authpp/transport/impl/blocking_transport.ipp>
