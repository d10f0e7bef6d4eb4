// authpp/separate/asio_src.hpp — asio_auth's separately compiled part
// (<authpp/src.hpp> includes it; see there): the config's members and the
// asynchronous operations, each part its own header so that a build can
// compile them as separate translation units (authpp::separate does).
#pragma once

#include <authpp/separate/asio_actions.hpp>
#include <authpp/separate/asio_config.hpp>
#include <authpp/separate/asio_middleware.hpp>
#include <authpp/separate/asio_resolve.hpp>
