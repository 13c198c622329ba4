// engines.mjs — launch the three browser engines for wgpy's browser tests, behind one small
// interface (docs/browsers.md):
//
//   const b = await launchEngine('firefox', { display: 'xvfb' });   // 'chromium' | 'firefox' | 'webkit'
//   await b.goto(url);
//   const v = await b.evaluate((arg) => ..., arg);     // JSON value; a returned Promise is awaited
//   await b.screenshot('x.png');                       // the viewport, PNG
//   b.version; b.onConsole = (type, text) => ...; b.onPageError = (msg) => ...;
//   await b.close();                                   // also stops its Xvfb and driver
//
//   chromium  npm playwright-core over CDP, the flags of chromium.mjs (headless; SwiftShader)
//   firefox   npm puppeteer-core over WebDriver BiDi, /usr/bin/firefox-esr (no geckodriver); the
//             prefs that give WebGPU (dom.webgpu.enabled, gfx.webgpu.ignore-blocklist) on a
//             software Vulkan: chromium's SwiftShader ICD when no system Vulkan driver is installed
//             and VK_ICD_FILENAMES is unset (the rule of js/src/node/webgpu-host.mjs).
//             Headless by default; WebGL2 is unavailable in Firefox's true headless mode (Mozilla
//             bug 1375585), so { display: 'xvfb' } runs it headed under a private Xvfb.
//   webkit    WebKitGTK's WebKitWebDriver (W3C WebDriver over HTTP, no BiDi) driving MiniBrowser,
//             always under a private Xvfb (WebKitGTK has no headless mode), with
//             JSC_useSharedArrayBuffer=1 in the driver's environment (SharedArrayBuffer is off
//             otherwise) and --features=+AllowWebGLInWorkers.  No console events: the test page
//             queues its output and the runner polls it (evaluate).
//
// Nothing is downloaded: each engine is the system's (scripts/setup.sh apt installs them).

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { launchChromium, DEFAULT_CHROMIUM } from './chromium.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const requireHere = createRequire(path.join(ROOT, 'package.json'));

export const ENGINES = ['chromium', 'firefox', 'webkit'];
export const FIREFOX = process.env.FIREFOX || '/usr/bin/firefox-esr';
export const WEBKIT_DRIVER = process.env.WEBKIT_DRIVER || '/usr/bin/WebKitWebDriver';
const MINIBROWSER_CANDIDATES = [
  '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
  '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.0/MiniBrowser',
  '/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
];
export const MINIBROWSER = process.env.MINIBROWSER || MINIBROWSER_CANDIDATES.find((p) => fs.existsSync(p)) || MINIBROWSER_CANDIDATES[0];
export const XVFB = process.env.XVFB || '/usr/bin/Xvfb';
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
const SYSTEM_ICD_DIRS = ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d', '/usr/local/share/vulkan/icd.d'];

// The Vulkan driver Firefox's WebGPU (wgpu) gets: the environment's, else a system ICD, else
// SwiftShader's (no GPU on these machines).
function vulkanEnv(env) {
  if (env.VK_ICD_FILENAMES || env.VK_DRIVER_FILES) return env;
  const hasSystemIcd = SYSTEM_ICD_DIRS.some((d) => {
    try { return fs.readdirSync(d).some((f) => f.endsWith('.json')); } catch { return false; }
  });
  return !hasSystemIcd && fs.existsSync(SWIFTSHADER_ICD) ? { ...env, VK_ICD_FILENAMES: SWIFTSHADER_ICD } : env;
}

// Firefox prefs: WebGPU on (lavapipe, a software Vulkan: mesa-vulkan-drivers), no first-run noise.
export const FIREFOX_PREFS = {
  'dom.webgpu.enabled': true,
  'gfx.webgpu.ignore-blocklist': true,
  'webgl.force-enabled': true,
  'browser.shell.checkDefaultBrowser': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.reportingpolicy.firstRun': false,
};

// What is missing to run an engine: [] or a list of 'path (how to get it)'.
export function engineMissing(engine, { display } = {}) {
  const miss = [];
  const need = (p, how) => { if (!fs.existsSync(p)) miss.push(`${p} (${how})`); };
  const pkg = (name) => { try { requireHere.resolve(name); } catch { miss.push(`node_modules/${name} (scripts/setup.sh npm)`); } };
  if (engine === 'chromium') { need(DEFAULT_CHROMIUM, 'apt-get install chromium; scripts/setup.sh apt'); pkg('playwright-core'); }
  else if (engine === 'firefox') {
    need(FIREFOX, 'apt-get install firefox-esr; scripts/setup.sh apt'); pkg('puppeteer-core');
    if (display === 'xvfb') need(XVFB, 'apt-get install xvfb; scripts/setup.sh apt');
  } else if (engine === 'webkit') {
    need(WEBKIT_DRIVER, 'apt-get install webkit2gtk-driver; scripts/setup.sh apt');
    need(MINIBROWSER, 'apt-get install webkit2gtk-driver; scripts/setup.sh apt');
    need(XVFB, 'apt-get install xvfb; scripts/setup.sh apt');
  } else miss.push(`engine '${engine}' (${ENGINES.join(', ')})`);
  return miss;
}

// A private X server: resolves { display: ':N', stop() }.  -displayfd picks a free number.
export function startXvfb() {
  return new Promise((resolve, reject) => {
    const p = spawn(XVFB, ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'],
      { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
    let err = '', out = '', done = false;
    const timer = setTimeout(() => fail(new Error('Xvfb did not report its display in 15 s')), 15000);
    const fail = (e) => { if (done) return; done = true; clearTimeout(timer); try { p.kill('SIGKILL'); } catch { /* gone */ } reject(e); };
    p.stderr.on('data', (d) => { err += d; });
    p.on('error', fail);
    p.on('exit', (c) => fail(new Error(`Xvfb exited (${c}): ${err.trim().split('\n').slice(-3).join(' / ')}`)));
    p.stdio[3].on('data', (d) => {
      out += d;
      if (done || !out.includes('\n')) return;
      done = true;
      clearTimeout(timer);
      const display = `:${out.trim()}`;
      resolve({
        display,
        stop: () => new Promise((r) => {
          if (p.exitCode !== null) return r();
          p.once('exit', () => r());
          p.kill('SIGTERM');
          setTimeout(() => { try { p.kill('SIGKILL'); } catch { /* gone */ } r(); }, 3000).unref();
        }),
      });
    });
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- chromium (playwright-core) --------------------------------------------------------------
async function launchChromiumEngine(opts) {
  const browser = await launchChromium({ executablePath: opts.chromium || DEFAULT_CHROMIUM });
  const context = await browser.newContext();
  const page = await context.newPage();
  const b = {
    engine: 'chromium', version: `Chromium ${browser.version()}`, onConsole: null, onPageError: null, onDisconnect: null,
    goto: (url) => page.goto(url),
    evaluate: (fn, arg) => page.evaluate(fn, arg),
    screenshot: (p) => page.screenshot({ path: p, fullPage: true }),
    close: () => browser.close(),
  };
  page.on('console', (m) => b.onConsole?.(m.type(), m.text()));
  page.on('pageerror', (e) => b.onPageError?.(e.message));
  page.on('crash', () => b.onDisconnect?.('the page crashed'));
  browser.on('disconnected', () => b.onDisconnect?.('the browser disconnected (crashed?)'));
  return b;
}

// ---- firefox (puppeteer-core over WebDriver BiDi) ---------------------------------------------
async function launchFirefox(opts) {
  const puppeteer = requireHere('puppeteer-core');
  let xvfb = null;
  const env = vulkanEnv({ ...process.env });
  if (opts.display === 'xvfb') {
    xvfb = await startXvfb();
    env.DISPLAY = xvfb.display;
  }
  let browser;
  try {
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: opts.firefox || FIREFOX,
      headless: opts.display !== 'xvfb',
      extraPrefsFirefox: { ...FIREFOX_PREFS, ...(opts.prefs || {}) },
      env,
      timeout: 60000,
      protocolTimeout: 0,
    });
  } catch (e) {
    await xvfb?.stop();
    throw e;
  }
  const page = (await browser.pages())[0] || await browser.newPage();
  const version = await browser.version();
  const b = {
    engine: 'firefox', version: `${version}${xvfb ? ` (headed, Xvfb ${xvfb.display})` : ' (headless)'}`,
    onConsole: null, onPageError: null, onDisconnect: null,
    goto: (url) => page.goto(url, { waitUntil: 'load', timeout: 60000 }),
    evaluate: (fn, arg) => page.evaluate(fn, arg),
    screenshot: (p) => page.screenshot({ path: p }),
    close: async () => {
      try { await Promise.race([browser.close(), sleep(10000)]); } finally {
        try { browser.process()?.kill('SIGKILL'); } catch { /* gone */ }
        await xvfb?.stop();
      }
    },
  };
  page.on('console', (m) => b.onConsole?.(m.type(), m.text()));
  page.on('pageerror', (e) => b.onPageError?.(e.message || String(e)));
  browser.on('disconnected', () => b.onDisconnect?.('the browser disconnected (crashed?)'));
  return b;
}

// ---- webkit (WebKitWebDriver, W3C WebDriver over HTTP) -----------------------------------------
async function launchWebKit(opts) {
  const xvfb = await startXvfb();
  const port = await freePort();
  // LANG=C.UTF-8 (a CI machine's locale) makes navigator.language 'C', which Intl rejects
  // (RangeError: invalid language tag): uPlot's charts died on it. A user's browser has a real one.
  const drvEnv = { ...process.env, LANG: 'en_US.UTF-8', LC_ALL: 'en_US.UTF-8', DISPLAY: xvfb.display, JSC_useSharedArrayBuffer: '1',
    WEBKIT_DISABLE_COMPOSITING_MODE: process.env.WEBKIT_DISABLE_COMPOSITING_MODE || '' };
  if (!drvEnv.WEBKIT_DISABLE_COMPOSITING_MODE) delete drvEnv.WEBKIT_DISABLE_COMPOSITING_MODE;
  const drv = spawn(opts.webkitDriver || WEBKIT_DRIVER, [`--port=${port}`, '--host=127.0.0.1'],
    { env: drvEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let drvLog = '';
  drv.stdout.on('data', (d) => { drvLog = (drvLog + d).slice(-4000); });
  drv.stderr.on('data', (d) => { drvLog = (drvLog + d).slice(-4000); });
  const base = `http://127.0.0.1:${port}`;
  const call = async (method, p, body) => {
    const r = await fetch(base + p, { method, headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body) });
    const j = await r.json().catch(() => ({}));
    if (!r.ok || (j.value && j.value.error)) {
      const v = j.value || {};
      throw new Error(`webdriver ${method} ${p}: ${v.error || r.status}: ${(v.message || '').slice(0, 2000)}`);
    }
    return j.value;
  };
  const stopAll = async () => {
    try { drv.kill('SIGTERM'); } catch { /* gone */ }
    await sleep(300);
    try { if (drv.exitCode === null) drv.kill('SIGKILL'); } catch { /* gone */ }
    await xvfb.stop();
  };
  let sid;
  try {
    // the driver listens once it has started
    const t0 = Date.now();
    for (;;) {
      try { await call('GET', '/status'); break; } catch (e) {
        if (drv.exitCode !== null) throw new Error(`WebKitWebDriver exited (${drv.exitCode}): ${drvLog.trim()}`);
        if (Date.now() - t0 > 20000) throw new Error(`WebKitWebDriver did not answer in 20 s: ${e.message}`);
        await sleep(150);
      }
    }
    const s = await call('POST', '/session', { capabilities: { alwaysMatch: {
      'webkitgtk:browserOptions': { binary: opts.minibrowser || MINIBROWSER,
        args: ['--automation', '--features=+AllowWebGLInWorkers'] },
    } } });
    sid = s.sessionId;
    const caps = s.capabilities || {};
    await call('POST', `/session/${sid}/timeouts`, { script: 600000, pageLoad: 120000 });
    const b = {
      engine: 'webkit', version: `WebKitGTK ${caps.browserVersion || '?'} (${caps.browserName || 'MiniBrowser'}, Xvfb ${xvfb.display})`,
      onConsole: null, onPageError: null, onDisconnect: null,
      goto: (url) => call('POST', `/session/${sid}/url`, { url }),
      evaluate: (fn, arg) => call('POST', `/session/${sid}/execute/sync`,
        { script: `return (${fn.toString()})(arguments[0]);`, args: [arg === undefined ? null : arg] }),
      screenshot: async (p) => fs.writeFileSync(p, Buffer.from(await call('GET', `/session/${sid}/screenshot`), 'base64')),
      close: async () => {
        try { await Promise.race([call('DELETE', `/session/${sid}`), sleep(10000)]); } catch { /* gone */ }
        await stopAll();
      },
    };
    drv.on('exit', (c) => b.onDisconnect?.(`WebKitWebDriver exited (${c})`));
    return b;
  } catch (e) {
    await stopAll();
    throw e;
  }
}

export async function launchEngine(engine, opts = {}) {
  if (engine === 'chromium') return launchChromiumEngine(opts);
  if (engine === 'firefox') return launchFirefox(opts);
  if (engine === 'webkit') return launchWebKit(opts);
  throw new Error(`unknown engine ${engine} (${ENGINES.join(', ')})`);
}
