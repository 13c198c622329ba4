#!/usr/bin/env node
// webgl2_mm_probe.mjs — MATMUL product shapes on WebGL2 (headless Chromium, ANGLE on SwiftShader),
// raw GL with no engine (issue 15): what chose the webgl2 executor's packed product
// (docs/webgl2.md).  A and B are packed four floats to an RGBA32UI texel as the executor packs
// them (A along K, B along N); each variant draws the product of one M×K by K×N, median of REPS
// draws each followed by a one-texel readPixels, variants interleaved, results checked.
//   node bench/webgl2_mm_probe.mjs [M K N] [REPS]
import { launchChromium } from '../js/tests/browser/chromium.mjs';

const [M, K, N] = process.argv.length >= 5 ? process.argv.slice(2, 5).map(Number) : [512, 512, 512];
const REPS = Number(process.argv[5] || 7);

async function pageMain({ M, K, N, REPS }) {
  const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
  const TW = 4096, K4 = Math.ceil(K / 4), N4 = Math.ceil(N / 4);
  const info = { drawBuffers: gl.getParameter(gl.MAX_DRAW_BUFFERS), renderer: gl.getParameter(gl.RENDERER) };
  const a = new Float32Array(M * K), b = new Float32Array(K * N);
  for (let i = 0; i < a.length; i++) a[i] = ((i * 7) % 13) / 13 - 0.5;
  for (let i = 0; i < b.length; i++) b[i] = ((i * 5) % 11) / 11 - 0.5;
  // reference C[i, j] (a few entries)
  const ref = (i, j) => { let s = 0; for (let k = 0; k < K; k++) s += a[i * K + k] * b[k * N + j]; return s; };
  function tex(w, h, layers, data) {
    const t = gl.createTexture();
    gl.bindTexture(gl.TEXTURE_2D_ARRAY, t);
    gl.texStorage3D(gl.TEXTURE_2D_ARRAY, 1, gl.RGBA32UI, w, h, layers);
    for (const p of [gl.TEXTURE_MIN_FILTER, gl.TEXTURE_MAG_FILTER]) gl.texParameteri(gl.TEXTURE_2D_ARRAY, p, gl.NEAREST);
    if (data) gl.texSubImage3D(gl.TEXTURE_2D_ARRAY, 0, 0, 0, 0, w, h, 1, gl.RGBA_INTEGER, gl.UNSIGNED_INT, data);
    return t;
  }
  // layouts: 'dense' A texel r*K4+kk, B texel k*N4+jj (in rows of TW); 'rows' A row r on texture
  // row r (x = kk), B row k on texture row k (x = jj)
  function packA(layout) {
    const n = layout === 'dense' ? M * K4 : M * TW, h = Math.ceil(n / TW), u = new Uint32Array(TW * h * 4);
    const f = new Float32Array(u.buffer);
    for (let i = 0; i < M; i++) for (let k = 0; k < K; k++) f[((layout === 'dense' ? i * K4 : i * TW) + (k >> 2)) * 4 + (k & 3)] = a[i * K + k];
    return tex(TW, h, 1, u);
  }
  function packB(layout) {
    const n = layout === 'dense' ? K * N4 : K * TW, h = Math.ceil(n / TW), u = new Uint32Array(TW * h * 4);
    const f = new Float32Array(u.buffer);
    for (let k = 0; k < K; k++) for (let j = 0; j < N; j++) f[((layout === 'dense' ? k * N4 : k * TW) + (j >> 2)) * 4 + (j & 3)] = b[k * N + j];
    return tex(TW, h, 1, u);
  }
  const head = `#version 300 es
precision highp float; precision highp int; precision highp usampler2DArray;
uniform highp usampler2DArray t_pa, t_pb;
uniform highp uint u_tw, u_th, u_tsh, K, K4, N4, M;
layout(location = 0) out highp uvec4 o0;
`;
  const VARIANTS = {
    // the executor's shape before this probe: dense layout, normalized coordinates from integer
    // index math per fetch, tail checks inside the loop
    cur: { layout: 'dense', rowsOut: 1, fs: head + `
uvec4 ldn(highp usampler2DArray t, vec2 inv, uint e) {
  return texture(t, vec3((float(e & (u_tw - 1u)) + 0.5) * inv.x, (float((e >> u_tsh) & (u_th - 1u)) + 0.5) * inv.y, float(e >> (u_tsh + u_tsh))));
}
void main() {
  uint jj = uint(gl_FragCoord.x), r = uint(gl_FragCoord.y);
  uint ra = r * K4, rb = jj; uint KF = K / 4u; vec4 acc = vec4(0);
  vec2 ia = 1.0 / vec2(textureSize(t_pa, 0).xy), ib = 1.0 / vec2(textureSize(t_pb, 0).xy);
  for (uint kk = 0u; kk < K4; kk++) {
    vec4 a = uintBitsToFloat(ldn(t_pa, ia, ra + kk));
    acc = acc + a[0] * uintBitsToFloat(ldn(t_pb, ib, rb + (kk * 4u + 0u) * N4));
    if (kk < KF || K % 4u > 1u) { acc = acc + a[1] * uintBitsToFloat(ldn(t_pb, ib, rb + (kk * 4u + 1u) * N4)); }
    if (kk < KF || K % 4u > 2u) { acc = acc + a[2] * uintBitsToFloat(ldn(t_pb, ib, rb + (kk * 4u + 2u) * N4)); }
    if (kk < KF || K % 4u > 3u) { acc = acc + a[3] * uintBitsToFloat(ldn(t_pb, ib, rb + (kk * 4u + 3u) * N4)); }
  }
  o0 = floatBitsToUint(acc);
}` },
  };
  // 'rows' layout: coordinates advance by a float step per fetch; R output rows × 4 columns per
  // fragment (R render targets), fetch by texture() or texelFetch
  function rowsVariant(R, fetch) {
    let s = head;
    for (let r = 1; r < R; r++) s += `layout(location = ${r}) out highp uvec4 o${r};\n`;
    s += `void main() {
  uint jj = uint(gl_FragCoord.x), r0 = uint(gl_FragCoord.y) * ${R}u;
  vec2 ia = 1.0 / vec2(textureSize(t_pa, 0).xy), ib = 1.0 / vec2(textureSize(t_pb, 0).xy);
`;
    for (let r = 0; r < R; r++) s += `  vec4 c${r} = vec4(0);\n`;
    if (fetch === 'tex') {
      s += `  float ax = 0.5 * ia.x, bx = (float(jj) + 0.5) * ib.x, by = 0.5 * ib.y;\n`;
      for (let r = 0; r < R; r++) s += `  float ay${r} = (float(r0 + ${r}u) + 0.5) * ia.y;\n`;
      s += `  for (uint kk = 0u; kk < K4; kk++) {\n`;
      for (let r = 0; r < R; r++) s += `    vec4 a${r} = uintBitsToFloat(texture(t_pa, vec3(ax, ay${r}, 0.0)));\n`;
      for (let c = 0; c < 4; c++) {
        s += `    vec4 b${c} = uintBitsToFloat(texture(t_pb, vec3(bx, by, 0.0))); by += ib.y;\n`;
        for (let r = 0; r < R; r++) s += `    c${r} += a${r}[${c}] * b${c};\n`;
      }
      s += `    ax += ia.x;\n  }\n`;
    } else {
      s += `  int bx = int(jj), by = 0;\n  for (int kk = 0; kk < int(K4); kk++) {\n`;
      for (let r = 0; r < R; r++) s += `    vec4 a${r} = uintBitsToFloat(texelFetch(t_pa, ivec3(kk, int(r0) + ${r}, 0), 0));\n`;
      for (let c = 0; c < 4; c++) {
        s += `    vec4 b${c} = uintBitsToFloat(texelFetch(t_pb, ivec3(bx, by, 0), 0)); by++;\n`;
        for (let r = 0; r < R; r++) s += `    c${r} += a${r}[${c}] * b${c};\n`;
      }
      s += `  }\n`;
    }
    for (let r = 0; r < R; r++) s += `  o${r} = floatBitsToUint(c${r});\n`;
    return { layout: 'rows', rowsOut: R, fs: s + '}\n' };
  }
  for (const R of [1, 4, 8]) for (const f of ['tex']) VARIANTS[`rows${R}-${f}`] = rowsVariant(R, f);
  const vs = `#version 300 es
void main() { vec2 p = vec2(float((gl_VertexID << 1) & 2), float(gl_VertexID & 2)); gl_Position = vec4(p * 2.0 - 1.0, 0.0, 1.0); }`;
  function program(fs) {
    const p = gl.createProgram();
    for (const [type, src] of [[gl.VERTEX_SHADER, vs], [gl.FRAGMENT_SHADER, fs]]) {
      const sh = gl.createShader(type); gl.shaderSource(sh, src); gl.compileShader(sh);
      if (!gl.getShaderParameter(sh, gl.COMPILE_STATUS)) throw new Error(gl.getShaderInfoLog(sh) + fs);
      gl.attachShader(p, sh);
    }
    gl.linkProgram(p);
    if (!gl.getProgramParameter(p, gl.LINK_STATUS)) throw new Error(gl.getProgramInfoLog(p));
    return p;
  }
  const A = { dense: packA('dense'), rows: packA('rows') }, B = { dense: packB('dense'), rows: packB('rows') };
  const fbo = gl.createFramebuffer();
  gl.bindVertexArray(gl.createVertexArray());
  const runs = {};
  for (const [name, v] of Object.entries(VARIANTS)) {
    const p = program(v.fs);
    gl.useProgram(p);
    const u = (n) => gl.getUniformLocation(p, n);
    gl.uniform1i(u('t_pa'), 0); gl.uniform1i(u('t_pb'), 1);
    for (const [n, x] of [['u_tw', TW], ['u_th', TW], ['u_tsh', 12], ['K', K], ['K4', K4], ['N4', N4], ['M', M]]) gl.uniform1ui(u(n), x);
    const R = v.rowsOut, rows = Math.ceil(M / R);
    const out = tex(N4, rows, R, null);
    runs[name] = { p, v, out, rows, times: [] };
  }
  const one = new Uint32Array(4);
  const check = {};
  for (let rep = 0; rep < REPS; rep++) {
    for (const [name, r] of Object.entries(runs)) {
      gl.useProgram(r.p);
      gl.activeTexture(gl.TEXTURE0); gl.bindTexture(gl.TEXTURE_2D_ARRAY, A[r.v.layout]);
      gl.activeTexture(gl.TEXTURE1); gl.bindTexture(gl.TEXTURE_2D_ARRAY, B[r.v.layout]);
      gl.bindFramebuffer(gl.FRAMEBUFFER, fbo);
      const bufs = [];
      for (let i = 0; i < r.v.rowsOut; i++) { gl.framebufferTextureLayer(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0 + i, r.out, 0, i); bufs.push(gl.COLOR_ATTACHMENT0 + i); }
      gl.drawBuffers(bufs);
      gl.viewport(0, 0, N4, r.rows);
      const t0 = performance.now();
      gl.drawArrays(gl.TRIANGLES, 0, 3);
      gl.readBuffer(gl.COLOR_ATTACHMENT0);
      gl.readPixels(0, 0, 1, 1, gl.RGBA_INTEGER, gl.UNSIGNED_INT, one);
      r.times.push(performance.now() - t0);
      if (rep === 0) {
        // check C[i, j] at a corner block: row i = y*R + layer, columns 4x..4x+3
        const i = r.v.rowsOut - 1, y = Math.floor(i / r.v.rowsOut), layer = i % r.v.rowsOut, x = N4 - 1;
        gl.readBuffer(gl.COLOR_ATTACHMENT0 + layer);
        const px = new Uint32Array(4);
        gl.readPixels(x, y, 1, 1, gl.RGBA_INTEGER, gl.UNSIGNED_INT, px);
        const got = new Float32Array(px.buffer), want = [0, 1, 2, 3].map((c) => ref(i, 4 * x + c));
        check[name] = want.every((w, c) => Math.abs(w - got[c]) <= 1e-3 * (1 + Math.abs(w)));
      }
      for (let i = 0; i < r.v.rowsOut; i++) gl.framebufferTextureLayer(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0 + i, null, 0, 0);
    }
  }
  const res = {};
  for (const [name, r] of Object.entries(runs)) {
    const t = r.times.slice().sort((x, y) => x - y);
    res[name] = { median: t[t.length >> 1], min: t[0], ok: check[name] };
  }
  return { info, res };
}

const browser = await launchChromium();
try {
  const page = await browser.newPage();
  const out = await page.evaluate(pageMain, { M, K, N, REPS });
  console.log(JSON.stringify(out.info));
  const base = out.res.cur.median;
  for (const [n, r] of Object.entries(out.res))
    console.log(`${n.padEnd(12)} median ${r.median.toFixed(1).padStart(8)} ms  min ${r.min.toFixed(1).padStart(8)} ms  ${(r.median / base).toFixed(2)} of cur  ${r.ok ? 'ok' : 'WRONG'}`);
} finally {
  await browser.close();
}
