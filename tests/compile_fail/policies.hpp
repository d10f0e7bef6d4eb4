// Valid policies for the compile-fail tests: each test breaks one.
#pragma once

#include <authpp/authpp.hpp>

struct good_transport {
    authpp::http::response send(const authpp::http::request&, authpp::error_code&) { return {}; }
};
