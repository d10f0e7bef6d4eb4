// The browser suite's Next.js app. Nothing here depends on ports: the test
// passes the provider, the C++ service and the public origin at `next start`.
export default { reactStrictMode: true, poweredByHeader: false };
