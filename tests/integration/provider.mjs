// A real OpenID provider (oidc-provider, pinned in package-lock.json) on
// loopback, for the integration tests. Started by the test fixture, which
// reads the first stdout line ("READY <issuer>") and drives it over stdin:
//
//   login <sub> [client]
//                 run the authorization-code flow with PKCE through the
//                 provider's development interactions (login form, consent
//                 form) like a browser would, and print the token response
//                 as one JSON line
//   mode 503      the token endpoint answers 503 (provider overloaded)
//   mode drop     the token endpoint drops the connection without answering
//   mode slow <ms>  the token endpoint answers only after <ms> milliseconds
//   mode normal   back to normal
//   count         print "OK <refresh grants> <succeeded> <failed>": the
//                 refresh_token grants the token endpoint has handled
//   stop          stop listening and close every connection (provider down)
//   start         listen again on the same port (grants survive: same process)
//
// Each command's answer is one line ("OK ..." or the JSON). Refresh-token
// rotation is on and access tokens live ACCESS_TTL seconds (env, default 2).
// Environment: PORT (default: any free port), REDIRECT_URIS (comma-separated
// redirect URIs every client accepts besides http://127.0.0.1/callback).
import http from 'node:http';
import crypto from 'node:crypto';
import readline from 'node:readline';
import Provider from 'oidc-provider';

// The provider's notices about its development-only features (which this
// fixture uses on purpose) would mix with the protocol on stdout.
for (const level of ['info', 'warn']) {
  const original = console[level];
  console[level] = (msg, ...rest) => {
    if (typeof msg === 'string' && msg.startsWith('oidc-provider ')) return;
    original(msg, ...rest);
  };
}

const accessTtl = Number(process.env.ACCESS_TTL || 2);
const redirectUri = 'http://127.0.0.1/callback';
const redirectUris = [redirectUri, ...(process.env.REDIRECT_URIS || '').split(',').filter(Boolean)];
const clients = [
  {
    client_id: 'authpp-confidential',
    client_secret: 'authpp-confidential-secret',
    redirect_uris: redirectUris,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  },
  {
    client_id: 'authpp-post',
    client_secret: 'authpp-post-secret',
    redirect_uris: redirectUris,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
  },
  {
    client_id: 'authpp-public',
    redirect_uris: redirectUris,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
  },
];

let mode = 'normal';
let slowMs = 0;
const refreshGrants = { total: 0, ok: 0, failed: 0 };
const server = http.createServer();
server.keepAliveTimeout = 5000;
await new Promise((resolve) => server.listen(Number(process.env.PORT || 0), '127.0.0.1', resolve));
const { port } = server.address();
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients,
  pkce: { required: () => true },
  rotateRefreshToken: true,
  ttl: { AccessToken: accessTtl, AuthorizationCode: 60, IdToken: 3600, RefreshToken: 3600, Grant: 3600, Interaction: 600, Session: 3600 },
  features: { devInteractions: { enabled: true } },
  scopes: ['openid', 'offline_access', 'email', 'profile'],
  claims: { openid: ['sub'], email: ['email'], profile: ['nickname'] },
  findAccount: async (_ctx, sub) => ({
    accountId: sub,
    claims: async () => ({ sub, email: `${sub}@example.com`, nickname: sub }),
  }),
  cookies: { keys: ['authpp-integration-cookie-key'] },
});
provider.on('server_error', (_ctx, err) => console.error('provider server_error', err));
provider.on('grant.success', (ctx) => {
  if (ctx.oidc.params?.grant_type === 'refresh_token') ++refreshGrants.total, ++refreshGrants.ok;
});
provider.on('grant.error', (ctx) => {
  if (ctx.oidc.params?.grant_type === 'refresh_token') ++refreshGrants.total, ++refreshGrants.failed;
});

const callback = provider.callback();
server.on('request', (req, res) => {
  if (req.url.startsWith('/token') && mode === '503') {
    res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
    res.end('{"error":"temporarily_unavailable","error_description":"provider overloaded"}');
    return;
  }
  if (req.url.startsWith('/token') && mode === 'drop') {
    req.socket.destroy();
    return;
  }
  if (req.url.startsWith('/token') && mode === 'slow') {
    // A client that gave up (or died) meanwhile never reaches the provider,
    // as if its request had been lost on the way.
    setTimeout(() => (req.socket.destroyed ? undefined : callback(req, res)), slowMs);
    return;
  }
  callback(req, res);
});

// --- the authorization-code flow, as a browser and a client would run it ---

const b64url = (buf) => buf.toString('base64url');

async function login(sub, clientId = 'authpp-confidential') {
  const client = clients.find((c) => c.client_id === clientId);
  if (!client) throw new Error(`unknown client ${clientId}`);
  const jar = new Map();
  const keep = (res) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const go = async (url, init = {}) => {
    const res = await fetch(new URL(url, issuer), { ...init, redirect: 'manual', headers: { ...(init.headers || {}), cookie: cookie() } });
    keep(res);
    return res;
  };

  const verifier = b64url(crypto.randomBytes(32));
  const challenge = b64url(crypto.createHash('sha256').update(verifier).digest());
  const state = b64url(crypto.randomBytes(12));
  const auth = new URL('/auth', issuer);
  auth.search = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: 'openid offline_access email profile',
    prompt: 'consent',
    state,
    nonce: b64url(crypto.randomBytes(12)),
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();

  let res = await go(auth);
  for (let hops = 0; hops < 12; ++hops) {
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      if (location.startsWith(redirectUri)) {
        const params = new URL(location).searchParams;
        if (params.get('state') !== state) throw new Error('state mismatch');
        if (!params.get('code')) throw new Error(`no code: ${location}`);
        return exchange(client, params.get('code'), verifier);
      }
      res = await go(location);
      continue;
    }
    const html = await res.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html);
    const prompt = /name="prompt" value="(\w+)"/.exec(html);
    if (!action || !prompt) throw new Error(`unexpected page (${res.status}): ${html.slice(0, 300)}`);
    const form = prompt[1] === 'login' ? { prompt: 'login', login: sub, password: 'any' } : { prompt: prompt[1] };
    res = await go(action[1].replaceAll('&amp;', '&'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
  }
  throw new Error('too many redirects');
}

async function exchange(client, code, verifier) {
  const form = { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier };
  const headers = { 'content-type': 'application/x-www-form-urlencoded' };
  if (client.token_endpoint_auth_method === 'client_secret_basic') {
    headers.authorization = `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}`;
  } else {
    form.client_id = client.client_id;
    if (client.client_secret) form.client_secret = client.client_secret;
  }
  const res = await fetch(new URL('/token', issuer), { method: 'POST', headers, body: new URLSearchParams(form).toString() });
  const body = await res.json();
  if (res.status !== 200) throw new Error(`token exchange failed: ${JSON.stringify(body)}`);
  return body;
}

// --- control over stdin ---

const connections = new Set();
server.on('connection', (s) => {
  connections.add(s);
  s.on('close', () => connections.delete(s));
});

const rl = readline.createInterface({ input: process.stdin });
rl.on('line', async (line) => {
  const [cmd, arg, arg2] = line.trim().split(/\s+/);
  try {
    if (cmd === 'login') {
      console.log(JSON.stringify(await login(arg || 'alice', arg2)));
    } else if (cmd === 'mode') {
      mode = arg;
      slowMs = Number(arg2 || 0);
      console.log(`OK mode ${mode}`);
    } else if (cmd === 'count') {
      console.log(`OK ${refreshGrants.total} ${refreshGrants.ok} ${refreshGrants.failed}`);
    } else if (cmd === 'stop') {
      server.close();
      for (const s of connections) s.destroy();
      console.log('OK stopped');
    } else if (cmd === 'start') {
      server.listen(port, '127.0.0.1', () => console.log('OK started'));
    } else {
      console.log(`ERR unknown command ${cmd}`);
    }
  } catch (e) {
    console.log(`ERR ${e.message}`.replaceAll('\n', ' '));
  }
});
rl.on('close', () => process.exit(0));

console.log(`READY ${issuer}`);
