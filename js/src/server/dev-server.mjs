#!/usr/bin/env node
// dev-server.mjs — a small static HTTP server for the browser host (plain node:http, no framework).
//
//   node js/src/server/dev-server.mjs [--port 8000] [--host 127.0.0.1] [--root DIR] [--quiet]
//   make serve                      # the same, then open http://127.0.0.1:8000/examples/web/
//
//   import { startServer } from './dev-server.mjs';
//   const srv = await startServer({ port: 0 });   // srv.url, srv.port, await srv.close()
//
// Serves the repository root (so /node_modules/pyodide/, /build/dist/, /build/pywheels/,
// /js/src/browser/, /examples/web/, /python/tests/ are all reachable) with the headers a
// cross-origin-isolated page needs: every response carries
//   Cross-Origin-Opener-Policy: same-origin
//   Cross-Origin-Embedder-Policy: require-corp
//   Cross-Origin-Resource-Policy: same-origin
// so `crossOriginIsolated` is true in the page and its workers, and SharedArrayBuffer +
// Atomics.wait work (the main-thread GPU executor mode depends on them).  Nothing is cached.
//
// Directory listings, for the worker to find wheels and test files without a manifest:
//   GET /build/dist/?list        -> {"path": "/build/dist/", "entries": [{"name", "type", "size", "mtime"}]}
//   GET /python/tests/?list=r    -> {"path": ..., "files": ["conftest.py", "sub/x.py", ...]}
//                                   (recursive; dot-files, __pycache__ and *.pyc left out)
// A directory without ?list serves its index.html, or a plain HTML listing.
//
// Only GET and HEAD; paths are confined to the root (no .., no symlinks leading outside).

import fs from 'node:fs';
import fsp from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(HERE, '..', '..', '..');

export const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.whl': 'application/zip',
  '.zip': 'application/zip',
  '.tar': 'application/x-tar',
  '.gz': 'application/gzip',
  '.py': 'text/x-python; charset=utf-8',
  '.pyi': 'text/x-python; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.ts': 'text/plain; charset=utf-8',
  '.so': 'application/octet-stream',
  '.bin': 'application/octet-stream',
};

export function mimeType(file) {
  return MIME[path.extname(file).toLowerCase()] || 'application/octet-stream';
}

const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
};

const escapeHtml = (s) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

// Recursive file list of dir (relative paths, '/' separators), sorted.
async function listFiles(dir, rel = '') {
  const out = [];
  const entries = await fsp.readdir(path.join(dir, rel), { withFileTypes: true });
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === '__pycache__' || e.name.endsWith('.pyc')) continue;
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...await listFiles(dir, r));
    else if (e.isFile()) out.push(r);
  }
  return out.sort();
}

function send(res, status, headers, body, method) {
  res.writeHead(status, { ...(res.wgpyHeaders || ISOLATION_HEADERS), ...headers });
  if (method === 'HEAD' || body === undefined) res.end();
  else res.end(body);
}

function sendText(res, status, text, method) {
  send(res, status, { 'Content-Type': 'text/plain; charset=utf-8' }, text + '\n', method);
}

function sendJson(res, obj, method) {
  send(res, 200, { 'Content-Type': 'application/json; charset=utf-8' }, JSON.stringify(obj), method);
}

async function handle(root, req, res, log) {
  const method = req.method;
  if (method !== 'GET' && method !== 'HEAD') {
    send(res, 405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }, 'method not allowed\n', method);
    return 405;
  }
  let url;
  try {
    url = new URL(req.url, 'http://localhost');
  } catch {
    sendText(res, 400, 'bad request', method);
    return 400;
  }
  let rel;
  try {
    rel = decodeURIComponent(url.pathname);
  } catch {
    sendText(res, 400, 'bad path encoding', method);
    return 400;
  }
  if (rel.includes('\0')) { sendText(res, 400, 'bad path', method); return 400; }
  const file = path.resolve(root, '.' + path.posix.normalize(rel));
  if (file !== root && !file.startsWith(root + path.sep)) { sendText(res, 403, 'forbidden', method); return 403; }

  let real, st;
  try {
    real = await fsp.realpath(file);
    st = await fsp.stat(real);
  } catch {
    sendText(res, 404, `not found: ${rel}`, method);
    return 404;
  }
  // node_modules may hold links inside the tree; anything resolving outside the root is refused.
  const realRoot = await fsp.realpath(root);
  if (real !== realRoot && !real.startsWith(realRoot + path.sep)) { sendText(res, 403, 'forbidden', method); return 403; }

  if (st.isDirectory()) {
    if (!url.pathname.endsWith('/')) {
      send(res, 301, { Location: url.pathname + '/' + url.search }, undefined, method);
      return 301;
    }
    const list = url.searchParams.get('list');
    if (list !== null) {
      if (list === 'r' || list === 'recursive') {
        sendJson(res, { path: url.pathname, files: await listFiles(real) }, method);
      } else {
        const entries = [];
        for (const e of (await fsp.readdir(real, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
          if (e.name.startsWith('.')) continue;
          let size = 0, mtime = 0;
          try {
            const s = await fsp.stat(path.join(real, e.name));
            size = s.size;
            mtime = s.mtimeMs;
          } catch { /* dangling link */ }
          entries.push({ name: e.name, type: e.isDirectory() ? 'dir' : 'file', size, mtime });
        }
        sendJson(res, { path: url.pathname, entries }, method);
      }
      return 200;
    }
    const index = path.join(real, 'index.html');
    if (fs.existsSync(index)) {
      return sendFile(res, index, await fsp.stat(index), method);
    }
    const names = (await fsp.readdir(real, { withFileTypes: true }))
      .filter((e) => !e.name.startsWith('.'))
      .map((e) => e.name + (e.isDirectory() ? '/' : '')).sort();
    const html = `<!doctype html><meta charset="utf-8"><title>${escapeHtml(url.pathname)}</title>` +
      `<h1>${escapeHtml(url.pathname)}</h1><ul>` +
      names.map((n) => `<li><a href="${encodeURI(n)}">${escapeHtml(n)}</a></li>`).join('') + '</ul>';
    send(res, 200, { 'Content-Type': 'text/html; charset=utf-8' }, html, method);
    return 200;
  }
  if (!st.isFile()) { sendText(res, 404, `not found: ${rel}`, method); return 404; }
  return sendFile(res, real, st, method);
}

function sendFile(res, file, st, method) {
  return new Promise((resolve) => {
    res.writeHead(200, { ...(res.wgpyHeaders || ISOLATION_HEADERS), 'Content-Type': mimeType(file), 'Content-Length': st.size });
    if (method === 'HEAD') { res.end(); resolve(200); return; }
    const s = fs.createReadStream(file);
    s.on('error', () => { res.destroy(); resolve(500); });
    s.on('end', () => resolve(200));
    s.pipe(res);
  });
}

// Starts the server; resolves once it listens.  port 0 picks a free port.
// isolation false: no COOP/COEP/CORP headers (a plain static host such as GitHub Pages; the site
// must work there too: docs/site.md).
export function startServer({ root = REPO_ROOT, port = 8000, host = '127.0.0.1', log = null, isolation = true } = {}) {
  const absRoot = path.resolve(root);
  const plain = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };
  const server = http.createServer((req, res) => {
    res.wgpyHeaders = isolation ? ISOLATION_HEADERS : plain;
    const t0 = Date.now();
    handle(absRoot, req, res).then((status) => {
      if (log) log(`${req.method} ${req.url} ${status} ${Date.now() - t0}ms`);
    }, (err) => {
      if (!res.headersSent) sendText(res, 500, `internal error: ${err.message}`, req.method);
      else res.destroy();
      if (log) log(`${req.method} ${req.url} 500 ${err.stack || err}`);
    });
  });
  // Keep-alive sockets must not hold close() open.
  const sockets = new Set();
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const addr = server.address();
      const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
      resolve({
        server,
        port: addr.port,
        url: `http://${shownHost}:${addr.port}`,
        root: absRoot,
        close: () => new Promise((r) => {
          for (const s of sockets) s.destroy();
          server.close(() => r());
        }),
      });
    });
  });
}

async function cli(argv) {
  const opts = { port: Number(process.env.PORT || 8000), host: '127.0.0.1', root: REPO_ROOT, quiet: false, isolation: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (a.includes('=')) return a.slice(a.indexOf('=') + 1);
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a.startsWith('--port')) opts.port = Number(val());
    else if (a.startsWith('--host')) opts.host = val();
    else if (a.startsWith('--root')) opts.root = path.resolve(val());
    else if (a === '--quiet' || a === '-q') opts.quiet = true;
    else if (a === '--no-isolation') opts.isolation = false;
    else if (a === '-h' || a === '--help') {
      console.log('usage: dev-server.mjs [--port N (default $PORT or 8000)] [--host ADDR] [--root DIR] [--no-isolation] [--quiet]');
      return;
    } else throw new Error(`unknown option ${a}`);
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) throw new Error(`bad port ${opts.port}`);
  const srv = await startServer({
    root: opts.root, port: opts.port, host: opts.host, isolation: opts.isolation,
    log: opts.quiet ? null : (m) => console.log(m),
  });
  console.log(`wgpy dev server: ${srv.url}/  (root ${srv.root}; ${opts.isolation ? 'COOP same-origin, COEP require-corp' : 'no isolation headers'})`);
  if (fs.existsSync(path.join(srv.root, 'manifest.json'))) {
    console.log(`  samples: ${srv.url}/`);
    console.log(`  tests:   ${srv.url}/test/`);
  } else {
    console.log(`  demo:  ${srv.url}/examples/web/`);
    console.log(`  tests: ${srv.url}/examples/web/test.html?suite=pytest`);
  }
  const stop = () => { srv.close().then(() => process.exit(0)); };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  cli(process.argv.slice(2)).catch((e) => {
    console.error(`dev-server: ${e.message}`);
    process.exit(2);
  });
}
