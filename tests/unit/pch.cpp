// The translation unit the unit tests' precompiled header is built from
// (tests/CMakeLists.txt, authpp_test_pch): the header is all it holds.
