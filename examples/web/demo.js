// demo.js — examples/web/index.html: hello + Mandelbrot with wgpy in a Web Worker.
import { WgpyWorker, executorSpec, findWheels } from '/js/src/browser/wgpy-main.js';

const HOME = '/home/pyodide';
const out = document.getElementById('out');
const statusEl = document.getElementById('status');
const q = new URLSearchParams(location.search);
const backend = q.get('backend') || 'cpu';
const where = q.get('where') || 'worker';   // webgpu/webgl2/auto: the executor in the worker, or on this page ('main')
const n = Math.max(8, Math.min(1024, Number(q.get('n')) || 256));
const iters = Math.max(1, Math.min(1000, Number(q.get('iters')) || 100));

function write(text, cls) {
  const span = document.createElement('span');
  if (cls) span.className = cls;
  span.textContent = text;
  out.appendChild(span);
}
const status = (s) => { statusEl.textContent = s; };

function draw(counts, size, maxIter) {
  const canvas = document.getElementById('img');
  canvas.width = size;
  canvas.height = size;
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(size, size);
  // counts[i][j]: i along the real axis (x), j along the imaginary axis (y).
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const c = counts[i * size + j];
      const t = c >= maxIter ? 0 : Math.sqrt(c / maxIter);
      const k = 4 * (j * size + i);
      img.data[k] = 255 * t;
      img.data[k + 1] = 255 * t * t;
      img.data[k + 2] = 80 + 175 * t;
      img.data[k + 3] = 255;
    }
  }
  ctx.putImageData(img, 0, 0);
}

async function main() {
  write(`crossOriginIsolated: ${globalThis.crossOriginIsolated === true}\n`);
  const w = new WgpyWorker({
    onOutput: (stream, text) => write(text, stream === 'stderr' ? 'err' : null),
    onFatal: (msg) => write(`fatal: ${msg}\n`, 'err'),
  });
  status('loading Pyodide and wgpy…');
  const { wgpy } = await findWheels();
  if (!wgpy) throw new Error('no wgpy wheel under /build/dist/ (make wheel)');
  const info = await w.init({
    wheels: [wgpy],
    files: [
      { url: '/examples/hello.py', path: `${HOME}/examples/hello.py` },
      { url: '/examples/mandelbrot.py', path: `${HOME}/examples/mandelbrot.py` },
    ],
    env: backend === 'auto' ? {} : { WGPY_BACKEND: backend },   // auto: the host's choice
    executor: executorSpec(backend, where),
    cwd: HOME,
    sysPath: [`${HOME}/examples`],
  }, { timeoutMs: 120000 });
  write(`Pyodide ${info.pyodideVersion} (Python ${info.python}) loaded in ` +
    `${(info.timings.totalMs / 1000).toFixed(1)} s; worker crossOriginIsolated: ${info.crossOriginIsolated}\n`);
  const name = await w.eval('import wgpy\nwgpy.get_backend_name()');
  write(`wgpy.get_backend_name() = ${JSON.stringify(name)}\n\n$ python examples/hello.py\n`);

  status('running hello.py…');
  let r = await w.runScript(`${HOME}/examples/hello.py`, [], { timeoutMs: 60000, argv0: 'examples/hello.py' });
  if (r.exitCode !== 0) throw new Error(`hello.py exited with ${r.exitCode}`);

  status('running mandelbrot.py…');
  write(`\n$ python examples/mandelbrot.py ${n} ${iters}\n`);
  r = await w.runScript(`${HOME}/examples/mandelbrot.py`, [String(n), String(iters)],
    { timeoutMs: 120000, argv0: 'examples/mandelbrot.py' });
  if (r.exitCode !== 0) throw new Error(`mandelbrot.py exited with ${r.exitCode}`);

  status('drawing…');
  const size = Math.min(n, 200);
  const json = await w.eval(`
import json, wgpy as wp, mandelbrot as m
_c = m.mandelbrot(*m.grid(wp, ${size}), ${iters})
json.dumps([v for row in _c.tolist() for v in row])
`, { timeoutMs: 120000 });
  draw(JSON.parse(json), size, iters);
  w.terminate('done');
  status('done');
  document.body.dataset.status = 'done';
}

main().catch((e) => {
  write(`\nerror: ${e && e.message ? e.message : e}\n`, 'err');
  status('error');
  document.body.dataset.status = 'error';
});
