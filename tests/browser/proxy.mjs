// proxy.mjs — one origin for the browser: a reverse proxy on loopback that
// forwards {prefix} and everything under it to the C++ service and the rest
// to the Next.js app, unchanged (path, Host, cookies both ways), as nginx or a
// load balancer in front of both would.
import http from "node:http";

// Hop-by-hop headers (RFC 9110, 7.6.1) are the proxy's own on each side.
const hopByHop = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "trailer"]);

function endToEnd(raw) {
    const out = [];
    for (let i = 0; i < raw.length; i += 2) if (!hopByHop.has(raw[i].toLowerCase())) out.push(raw[i], raw[i + 1]);
    return out;
}

/// Listens on a free loopback port: `prefix` (and below) goes to the port
/// `targets.prefix`, the rest to `targets.rest` (set them before the first request).
export async function startProxy({ prefix }) {
    const targets = { prefix: 0, rest: 0 };
    const agent = new http.Agent({ keepAlive: true });
    const ours = (url) => url === prefix || url.startsWith(prefix + "/") || url.startsWith(prefix + "?");
    const server = http.createServer((req, res) => {
        const upstream = http.request(
            {
                host: "127.0.0.1",
                port: ours(req.url) ? targets.prefix : targets.rest,
                method: req.method,
                path: req.url,
                headers: endToEnd(req.rawHeaders),
                agent,
            },
            (up) => {
                res.writeHead(up.statusCode, up.statusMessage, endToEnd(up.rawHeaders));
                up.pipe(res);
            },
        );
        upstream.on("error", (e) => {
            if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
            res.end(`proxy: ${e.message}\n`);
        });
        req.pipe(upstream);
    });
    await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
        port: server.address().port,
        targets,
        close: () => {
            agent.destroy();
            server.closeAllConnections();
            return new Promise((r) => server.close(r));
        },
    };
}
