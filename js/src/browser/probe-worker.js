// probe-worker.js — a module worker that reports what a worker of this page offers (JSPI,
// WebGPU adapter, WebGL2 on an OffscreenCanvas) and exits: wgpy-main.js's choosePath() starts it
// to decide where an executor runs, by capability detection rather than the user agent.
import { probeGPU } from './gpu-devices.js';

probeGPU().then((r) => postMessage(r), (e) => postMessage({ error: String(e && e.message ? e.message : e) }));
