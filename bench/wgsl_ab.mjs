// wgsl_ab.mjs — times WGSL files of the Mandelbrot ElementwiseKernel's interface (the engine's
// statement-kernel WGSL: argument words, real, imag, the count) on Dawn, one after another in one
// process, so that code-generation changes compare on the same machine in one run:
//
//   WGPY_MANDEL_WGSL=/tmp/a.wgsl build/ctest/wgtest lang_mandelbrot_wgsl   # on each version
//   ROUNDS=8 node bench/wgsl_ab.mjs 256 /tmp/a.wgsl /tmp/b.wgsl /tmp/a.wgsl /tmp/b.wgsl
//
// Prints per file the best of ROUNDS (default 5) runs of two dispatches, per dispatch, and the
// sum of the counts (equal for equal results).  N x N points, 500 iterations (the parameters'
// words below follow the lowered kernel's parameter order: 0, 0.0, 500, 2.0, 4.0, 1).
import fs from 'node:fs';
import { createDawnDevice } from '../js/src/node/webgpu-host.mjs';
const { device } = await createDawnDevice();
const N = +process.argv[2], files = process.argv.slice(3), pts = N * N;
const U = { MAP_READ: 1, COPY_SRC: 4, COPY_DST: 8, UNIFORM: 0x40, STORAGE: 0x80 };
const mk = (bytes, usage) => device.createBuffer({ size: bytes, usage });
const re = new Float32Array(pts), im = new Float32Array(pts);
for (let r = 0; r < N; r++) for (let c = 0; c < N; c++) { re[r * N + c] = -2 + 2.5 * c / (N - 1); im[r * N + c] = -1.2 + 2.4 * r / (N - 1); }
const bre = mk(pts * 4, U.STORAGE | U.COPY_DST), bim = mk(pts * 4, U.STORAGE | U.COPY_DST);
device.queue.writeBuffer(bre, 0, re); device.queue.writeBuffer(bim, 0, im);
const out = mk(pts * 4, U.STORAGE | U.COPY_SRC), rd = mk(pts * 4, U.MAP_READ | U.COPY_DST);
const groups = Math.ceil(pts / 64);
const w = new Uint32Array(20), f = new Float32Array(w.buffer);
w[0] = pts; w[2] = groups * 64; w[5] = 0; w[6] = 1; w[7] = 0; w[8] = 1; w[9] = 0; w[10] = 1;
w[11] = 0; f[12] = 0; w[13] = 500; f[14] = 2; f[15] = 4; w[16] = 1;
const ub = mk(80, U.UNIFORM | U.COPY_DST); device.queue.writeBuffer(ub, 0, w);
for (const file of files) {
  const code = fs.readFileSync(file, 'utf8');
  const m = device.createShaderModule({ code });
  const info = await m.getCompilationInfo();
  for (const msg of info.messages) if (msg.type === 'error') { console.log(file, msg.message, msg.lineNum); process.exit(1); }
  const pipe = device.createComputePipeline({ layout: 'auto', compute: { module: m, entryPoint: 'main' } });
  const bg = device.createBindGroup({ layout: pipe.getBindGroupLayout(0), entries: [ub, bre, bim, out].map((b, i) => ({ binding: i, resource: { buffer: b } })) });
  const run = async (reps) => {
    const enc = device.createCommandEncoder();
    for (let r = 0; r < reps; r++) { const p = enc.beginComputePass(); p.setPipeline(pipe); p.setBindGroup(0, bg); p.dispatchWorkgroups(groups); p.end(); }
    device.queue.submit([enc.finish()]); await device.queue.onSubmittedWorkDone();
  };
  await run(1);
  let best = 1e9;
  for (let t = 0; t < (+process.env.ROUNDS || 5); t++) { const t0 = performance.now(); await run(2); best = Math.min(best, (performance.now() - t0) / 2); }
  const enc = device.createCommandEncoder(); enc.copyBufferToBuffer(out, 0, rd, 0, pts * 4); device.queue.submit([enc.finish()]);
  await rd.mapAsync(1); const c = new Int32Array(rd.getMappedRange().slice(0)); rd.unmap();
  let sum = 0; for (const v of c) sum += v;
  console.log(`${file}: ${best.toFixed(2)} ms per launch (N=${N}); count sum ${sum}`);
}
process.exit(0);
