// An HTTP(S) server on loopback for the transport tests. Prints
// "READY <port>" and serves until stdin closes.
//   node http_server.mjs [--cert FILE --key FILE] [--keep-alive-ms N]
// Routes:
//   /json              200 {"conn":N,"requests":M}: N numbers the TCP connection
//   /echo              200 {"method","url","headers","body"} of the request
//   /status/<code>     that status with a small JSON body
//   /redirect          302 to /json (a transport must not follow it)
//   /big/<bytes>       200 with a body of that many bytes
//   /slow/<ms>         200 after that delay
//   /close             200 with Connection: close
//   /hang              never answers
//   /drop              counts the request, then closes the connection without
//                      answering (a reply lost after the server acted on it)
//   /dropped           200 {"count":N}: how many /drop requests arrived
import http from 'node:http';
import https from 'node:https';
import fs from 'node:fs';
import readline from 'node:readline';

const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const cert = opt('--cert');
const key = opt('--key');

let nextConn = 0;
let dropped = 0;
const handler = (req, res) => {
  let body = '';
  req.on('data', (c) => { body += c; });
  req.on('end', () => {
    const s = req.socket;
    if (s.authppId === undefined) { s.authppId = ++nextConn; s.authppRequests = 0; }
    s.authppRequests += 1;
    const json = (status, obj, headers = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(obj));
    };
    const [, route, arg] = req.url.split('?')[0].split('/');
    switch (route) {
      case 'json': return json(200, { conn: s.authppId, requests: s.authppRequests });
      case 'echo': return json(200, { method: req.method, url: req.url, headers: req.headers, body });
      case 'status': return json(Number(arg), { status: Number(arg) });
      case 'redirect': return json(302, { moved: true }, { location: '/json' });
      case 'big': res.writeHead(200, { 'content-type': 'text/plain' }); return res.end('x'.repeat(Number(arg)));
      case 'slow': return setTimeout(() => json(200, { slow: Number(arg) }), Number(arg));
      case 'close': return json(200, { conn: s.authppId }, { connection: 'close' });
      case 'hang': return undefined;
      case 'drop': dropped += 1; return s.destroy();
      case 'dropped': return json(200, { count: dropped });
      default: return json(404, { error: 'not_found' });
    }
  });
};

const server = cert ? https.createServer({ cert: fs.readFileSync(cert), key: fs.readFileSync(key) }, handler)
  : http.createServer(handler);
server.keepAliveTimeout = Number(opt('--keep-alive-ms') || 5000);
server.listen(0, '127.0.0.1', () => console.log(`READY ${server.address().port}`));
readline.createInterface({ input: process.stdin }).on('close', () => process.exit(0));
