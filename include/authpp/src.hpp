// authpp/src.hpp — the separately compiled part of authpp, for
// AUTHPP_SEPARATE_COMPILATION (as <boost/beast/src.hpp> is for Beast's):
// include it in exactly one .cpp of your program, and define
// AUTHPP_SEPARATE_COMPILATION for every translation unit, that one
// included. The CMake target authpp::separate does both.
//
// What is compiled here, once: asio_auth and blocking_auth (every member),
// the session flow of authjs_codec, the blocking middleware and Auth.js
// actions, the asynchronous operations of asio_auth (middleware, actions,
// resolve, credentials sign-in) behind type-erased completion handlers
// (<authpp/separate/asio.hpp>), and both transports' members with their
// exchanges (Beast, OpenSSL). The parts are <authpp/separate/asio_src.hpp>,
// <authpp/separate/blocking_src.hpp> and <authpp/transport/impl/*.ipp>:
// include them in separate .cpp files instead to compile them in parallel
// with less memory each (authpp::separate does: src/separate_*.cpp). Other
// configurations (basic_auth_config with policies of your own) stay
// header-only: their templates are instantiated where they are used, as
// without the macro.
#pragma once

#include <authpp/separate/asio_src.hpp>
#include <authpp/separate/blocking_src.hpp>
#include <authpp/separate/transport_src.hpp>
