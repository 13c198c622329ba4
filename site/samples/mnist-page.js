// site/samples/mnist-page.js — the two MNIST pages (mnist-demo.html: a hand-written loop;
// mnist-train.html: Chainer's Trainer) differ only in TRAIN, the title and the sample script.
import { frame, field, onRun, runSample, loadUPlot, table } from '../site.js';
import { loadManifest } from '../js/browser/wgpy-main.js';

export async function mnistPage({ TRAIN, title, script }) {
  frame({ title, blurb: (TRAIN ? "Chainer's Trainer (an MLP, Adam) on wgpy's cupy" : 'A hand-written training loop (two-layer MLP, SGD) on wgpy; every 10 iterations the predictions for 10 sample digits') +
    ' and a live loss / validation accuracy plot. It needs numpy inside Pyodide: the page loads it through Pyodide\'s package loader from the index below (?index=URL), and MNIST from ?data=URL (mnist.npz).',
    fields: [{ id: 'index', label: 'package index', value: '', size: 40 }, { id: 'data', label: 'data (mnist.npz)', value: '../data/mnist.npz', size: 20 },
             { id: 'iters', label: TRAIN ? 'epochs' : 'iterations', value: TRAIN ? 1 : 200, size: 5 }],
    extra: '<p class="note" id="need"></p><div id="chart"></div><div id="preds"></div>' });
  const manifest = await loadManifest(new URL('../', location.href).href);
  const idx = document.getElementById('f-index');
  if (!idx.value) idx.value = manifest.packageIndex;
  document.getElementById('need').textContent = `numpy from ${idx.value}${TRAIN ? (manifest.wheels.chainer ? '; Chainer from this site' : '; no Chainer wheel in this build (make chainer-wheel)') : ''}`;
  let plot = null;
  const pts = [[], [], []];
  onRun(async () => {
    const unavailable = (msg) => { const e = new Error(msg); e.unavailable = true; return e; };
    const data = await fetch(field('data')).catch(() => null);
    if (!data || !data.ok) throw unavailable(`unavailable: the MNIST data ${field('data')} could not be fetched (${data ? 'HTTP ' + data.status : 'network error'})`);
    const bytes = new Uint8Array(await data.arrayBuffer());
    let s;
    try {
      s = await (await import('../site.js')).getSession({ packages: ['numpy'], packageIndex: field('index'), chainer: TRAIN });
    } catch (e) {
      throw unavailable(`unavailable: numpy could not be loaded from ${field('index')} (${String(e.message || e).split('\n')[0]})`);
    }
    await s.writeFile(`${s.home}/mnist.npz`, bytes);
    const uPlot = await loadUPlot();
    pts.forEach((a) => { a.length = 0; });
    if (plot) plot.destroy();
    plot = new uPlot({ width: 640, height: 260, scales: { x: { time: false } },
      series: [{ label: 'iteration' }, { label: 'loss', stroke: '#c33' }, { label: 'accuracy', stroke: '#36c' }] }, pts, document.getElementById('chart'));
    await runSample(script, TRAIN ? { epochs: Number(field('iters')) } : { iters: Number(field('iters')) }, {
      files: [],
      sessionOpts: { packages: ['numpy'], packageIndex: field('index'), chainer: TRAIN },
      onEvent: (kind, d) => {
        if (kind === 'metrics') { pts[0].push(d.iteration); pts[1].push(d.loss); pts[2].push(d.accuracy); plot.setData(pts); }
        if (kind === 'predictions') table(document.getElementById('preds'), [['k', 'digit'], ['label', 'label'], ['pred', 'predicted']],
          d.label.map((l, k) => ({ k, label: l, pred: d.pred[k] })));
      },
    });
  });
}
