// The access token as authpp-example-server's dashboard shows it: its first
// ten characters and its length, enough to see it change, too few to use.
export function abbreviated(token) {
  return token ? `${token.slice(0, 10)}… (${token.length} chars)` : "(none)";
}
