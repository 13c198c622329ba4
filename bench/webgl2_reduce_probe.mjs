#!/usr/bin/env node
// webgl2_reduce_probe.mjs — REDUCE shapes on WebGL2 (headless Chromium, ANGLE on SwiftShader), raw
// GL with no engine (issue 15): a sum of N float32 words in an R32UI texture array of rows TW
// wide (the executor's storage, docs/webgl2.md), phase 0 into S partials, then phase 1 folding
// them, as the executor draws it; median of REPS, each followed by a one-texel readPixels,
// variants interleaved, results checked against a float64 sum.
//   node bench/webgl2_reduce_probe.mjs [N] [REPS]
import { launchChromium } from '../js/tests/browser/chromium.mjs';

const N = Number(process.argv[2] || (1 << 20));
const REPS = Number(process.argv[3] || 9);

async function pageMain({ N, REPS, SS, VV }) {
  globalThis.SS = SS; globalThis.VV = VV;
  const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
  const TW = 4096, TSH = 12, rows = Math.ceil(N / TW);
  const data = new Float32Array(rows * TW);
  let ref = 0;
  for (let i = 0; i < N; i++) { data[i] = i / N; ref += data[i]; }
  function tex(fmt, w, h, layers, src) {
    const t = gl.createTexture();
    gl.bindTexture(gl.TEXTURE_2D_ARRAY, t);
    gl.texStorage3D(gl.TEXTURE_2D_ARRAY, 1, fmt, w, h, layers);
    for (const p of [gl.TEXTURE_MIN_FILTER, gl.TEXTURE_MAG_FILTER]) gl.texParameteri(gl.TEXTURE_2D_ARRAY, p, gl.NEAREST);
    if (src) gl.texSubImage3D(gl.TEXTURE_2D_ARRAY, 0, 0, 0, 0, w, h, 1, gl.RED_INTEGER, gl.UNSIGNED_INT, src);
    return t;
  }
  const X = tex(gl.R32UI, TW, rows, 1, new Uint32Array(data.buffer));
  const head = `#version 300 es
precision highp float; precision highp int; precision highp usampler2DArray;
uniform highp usampler2DArray t_in0;
uniform highp uint u_n, u_s, u_pw, u_tw, u_tsh;
layout(location = 0) out highp uvec4 o0;
ivec3 texel(uint e) { return ivec3(int(e & (u_tw - 1u)), int((e >> u_tsh) & (u_tw - 1u)), int(e >> (u_tsh + u_tsh))); }
uint ld(int e) { return texelFetch(t_in0, texel(uint(e)), 0).r; }
ivec3 wstep(ivec3 c, ivec3 d) {
  c += d; int tw = int(u_tw);
  if (c.x >= tw) { c.x -= tw; c.y++; }
  if (c.y >= tw) { c.y -= tw; c.z++; }
  return c;
}
`;
  // each variant: phase-0 body folding slice s (of u_s) into `ta`
  const V = {
    // the executor's shape: contiguous chunks, texel() from the index per element
    cur: `uint chunk = (u_n + u_s - 1u) / u_s; uint lo = s * chunk, hi = min(lo + chunk, u_n);
  for (uint r = lo; r < hi; r++) { int o = 0 + 1 * int(r); ta += uintBitsToFloat(ld(o)); }`,
    // contiguous chunks, the coordinate walked along the row
    walk: `uint chunk = (u_n + u_s - 1u) / u_s; uint lo = s * chunk, hi = min(lo + chunk, u_n);
  ivec3 c = texel(lo); int tw = int(u_tw);
  for (uint r = lo; r < hi; r++) { ta += uintBitsToFloat(texelFetch(t_in0, c, 0).r); c.x++; if (c.x == tw) { c.x = 0; c.y++; } }`,
    // contiguous chunks walked, unrolled by 4 (four fetches, then four adds in order)
    walk4: `uint chunk = (u_n + u_s - 1u) / u_s; uint lo = s * chunk, hi = min(lo + chunk, u_n);
  ivec3 c = texel(lo); int tw = int(u_tw); uint r = lo;
  if ((lo & 3u) == 0u && (u_tw & 3u) == 0u) {
    for (; r + 4u <= hi; r += 4u) {
      uint a0 = texelFetch(t_in0, c, 0).r, a1 = texelFetch(t_in0, c + ivec3(1,0,0), 0).r, a2 = texelFetch(t_in0, c + ivec3(2,0,0), 0).r, a3 = texelFetch(t_in0, c + ivec3(3,0,0), 0).r;
      ta += uintBitsToFloat(a0); ta += uintBitsToFloat(a1); ta += uintBitsToFloat(a2); ta += uintBitsToFloat(a3);
      c.x += 4; if (c.x == tw) { c.x = 0; c.y++; }
    }
  }
  for (; r < hi; r++) { ta += uintBitsToFloat(texelFetch(t_in0, c, 0).r); c.x++; if (c.x == tw) { c.x = 0; c.y++; } }`,
    // interleaved: slice s reads s, s + S, ... (a quad's four lanes read neighbouring texels)
    inter: `for (uint r = s; r < u_n; r += u_s) { ta += uintBitsToFloat(ld(int(r))); }`,
    // contiguous chunks walked with texture() at texel centres
    walktex: `uint chunk = (u_n + u_s - 1u) / u_s; uint lo = s * chunk, hi = min(lo + chunk, u_n);
  vec2 inv = 1.0 / vec2(textureSize(t_in0, 0).xy); ivec3 c = texel(lo); int tw = int(u_tw);
  vec3 q = vec3((float(c.x) + 0.5) * inv.x, (float(c.y) + 0.5) * inv.y, 0.0);
  for (uint r = lo; r < hi; r++) { ta += uintBitsToFloat(texture(t_in0, q).r); q.x += inv.x; c.x++; if (c.x == tw) { c.x = 0; q.x = 0.5 * inv.x; q.y += inv.y; } }`,
    // texel() from the index, unrolled by 4 (the program once per element, in order)
    cur4: `uint chunk = (u_n + u_s - 1u) / u_s; uint lo = s * chunk, hi = min(lo + chunk, u_n); uint r = lo;
  for (; r + 4u <= hi; r += 4u) {
    { int o = 0 + 1 * int(r); ta += uintBitsToFloat(ld(o)); }
    { int o = 0 + 1 * int(r + 1u); ta += uintBitsToFloat(ld(o)); }
    { int o = 0 + 1 * int(r + 2u); ta += uintBitsToFloat(ld(o)); }
    { int o = 0 + 1 * int(r + 3u); ta += uintBitsToFloat(ld(o)); }
  }
  for (; r < hi; r++) { int o = 0 + 1 * int(r); ta += uintBitsToFloat(ld(o)); }`,
    // walked by a general step (x, y, layer with carries), unrolled by 4, the program per element
    gen4: `uint chunk = (u_n + u_s - 1u) / u_s; uint lo = s * chunk, hi = min(lo + chunk, u_n); uint r = lo;
  ivec3 c = texel(lo); ivec3 d = texel(1u); int tw = int(u_tw);
  for (; r + 4u <= hi; r += 4u) {
    { ivec3 o = c; ta += uintBitsToFloat(texelFetch(t_in0, o, 0).r); } c = wstep(c, d);
    { ivec3 o = c; ta += uintBitsToFloat(texelFetch(t_in0, o, 0).r); } c = wstep(c, d);
    { ivec3 o = c; ta += uintBitsToFloat(texelFetch(t_in0, o, 0).r); } c = wstep(c, d);
    { ivec3 o = c; ta += uintBitsToFloat(texelFetch(t_in0, o, 0).r); } c = wstep(c, d);
  }
  for (; r < hi; r++) { ivec3 o = c; ta += uintBitsToFloat(texelFetch(t_in0, o, 0).r); c = wstep(c, d); }`,
    // the same with texture() at the texel's centre
    gen4tex: `uint chunk = (u_n + u_s - 1u) / u_s; uint lo = s * chunk, hi = min(lo + chunk, u_n); uint r = lo;
  ivec3 c = texel(lo); ivec3 d = texel(1u); int tw = int(u_tw); vec3 inv = vec3(1.0 / vec2(textureSize(t_in0, 0).xy), 1.0);
  for (; r + 4u <= hi; r += 4u) {
    { ivec3 o = c; ta += uintBitsToFloat(texture(t_in0, (vec3(o) + vec3(0.5, 0.5, 0.0)) * inv).r); } c = wstep(c, d);
    { ivec3 o = c; ta += uintBitsToFloat(texture(t_in0, (vec3(o) + vec3(0.5, 0.5, 0.0)) * inv).r); } c = wstep(c, d);
    { ivec3 o = c; ta += uintBitsToFloat(texture(t_in0, (vec3(o) + vec3(0.5, 0.5, 0.0)) * inv).r); } c = wstep(c, d);
    { ivec3 o = c; ta += uintBitsToFloat(texture(t_in0, (vec3(o) + vec3(0.5, 0.5, 0.0)) * inv).r); } c = wstep(c, d);
  }
  for (; r < hi; r++) { ivec3 o = c; ta += uintBitsToFloat(texture(t_in0, (vec3(o) + vec3(0.5, 0.5, 0.0)) * inv).r); c = wstep(c, d); }`,
    // walked with texture(), unrolled by 4
    walk4tex: `uint chunk = (u_n + u_s - 1u) / u_s; uint lo = s * chunk, hi = min(lo + chunk, u_n);
  vec2 inv = 1.0 / vec2(textureSize(t_in0, 0).xy); ivec3 c = texel(lo); int tw = int(u_tw); uint r = lo;
  vec3 q = vec3((float(c.x) + 0.5) * inv.x, (float(c.y) + 0.5) * inv.y, 0.0);
  if ((lo & 3u) == 0u) {
    for (; r + 4u <= hi; r += 4u) {
      uint a0 = texture(t_in0, q).r, a1 = texture(t_in0, q + vec3(inv.x, 0.0, 0.0)).r, a2 = texture(t_in0, q + vec3(2.0 * inv.x, 0.0, 0.0)).r, a3 = texture(t_in0, q + vec3(3.0 * inv.x, 0.0, 0.0)).r;
      ta += uintBitsToFloat(a0); ta += uintBitsToFloat(a1); ta += uintBitsToFloat(a2); ta += uintBitsToFloat(a3);
      q.x += 4.0 * inv.x; c.x += 4; if (c.x == tw) { c.x = 0; q.x = 0.5 * inv.x; q.y += inv.y; }
    }
  }
  for (; r < hi; r++) { ta += uintBitsToFloat(texture(t_in0, q).r); q.x += inv.x; c.x++; if (c.x == tw) { c.x = 0; q.x = 0.5 * inv.x; q.y += inv.y; } }`,
  };
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
  const fs0 = (body) => head + `void main() {
  uint s = uint(gl_FragCoord.y) * u_pw + uint(gl_FragCoord.x);
  float ta = 0.0;
  if (s < u_s) { ${body} }
  o0 = uvec4(floatBitsToUint(ta), 0u, 0u, 0u);
}`;
  const fs1 = head + `void main() {
  float ta = 0.0;
  for (uint t = 0u; t < u_s; t++) { ta += uintBitsToFloat(texelFetch(t_in0, ivec3(int(t % u_pw), int(t / u_pw), 0), 0).r); }
  o0 = uvec4(floatBitsToUint(ta), 0u, 0u, 0u);
}`;
  const p1 = program(fs1);
  const fbo = gl.createFramebuffer();
  gl.bindVertexArray(gl.createVertexArray());
  const out = tex(gl.R32UI, 1, 1, 1, null);
  const runs = {};
  for (const S of (globalThis.SS || [512, 1024, 2048])) for (const [name, body] of Object.entries(V).filter(([n]) => !globalThis.VV || globalThis.VV.includes(n))) {
    const p = program(fs0(body));
    const pw = 64, prow = Math.ceil(S / pw);
    runs[`${name}-S${S}`] = { p, S, pw, prow, part: tex(gl.R32UI, pw, prow, 1, null), times: [], val: 0 };
  }
  const setU = (p, S, pw) => {
    gl.useProgram(p);
    const u = (n) => gl.getUniformLocation(p, n);
    gl.uniform1i(u('t_in0'), 0);
    for (const [n, x] of [['u_n', N], ['u_s', S], ['u_pw', pw], ['u_tw', TW], ['u_tsh', TSH]]) gl.uniform1ui(u(n), x);
  };
  const one = new Uint32Array(4);
  gl.activeTexture(gl.TEXTURE0);
  for (let rep = 0; rep < REPS; rep++) {
    for (const r of Object.values(runs)) {
      const t0 = performance.now();
      setU(r.p, r.S, r.pw);
      gl.bindTexture(gl.TEXTURE_2D_ARRAY, X);
      gl.bindFramebuffer(gl.FRAMEBUFFER, fbo);
      gl.framebufferTextureLayer(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, r.part, 0, 0);
      gl.viewport(0, 0, r.pw, r.prow);
      gl.drawArrays(gl.TRIANGLES, 0, 3);
      setU(p1, r.S, r.pw);
      gl.bindTexture(gl.TEXTURE_2D_ARRAY, r.part);
      gl.framebufferTextureLayer(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, out, 0, 0);
      gl.viewport(0, 0, 1, 1);
      gl.drawArrays(gl.TRIANGLES, 0, 3);
      gl.readPixels(0, 0, 1, 1, gl.RGBA_INTEGER, gl.UNSIGNED_INT, one);
      r.times.push(performance.now() - t0);
      r.val = new Float32Array(one.buffer)[0];
      gl.bindTexture(gl.TEXTURE_2D_ARRAY, null);
    }
  }
  const res = {};
  for (const [name, r] of Object.entries(runs)) {
    const t = r.times.slice().sort((x, y) => x - y);
    res[name] = { median: t[t.length >> 1], min: t[0], ok: Math.abs(r.val - ref) <= 1e-4 * Math.abs(ref) };
  }
  return { renderer: gl.getParameter(gl.RENDERER), res };
}

const browser = await launchChromium();
try {
  const page = await browser.newPage();
  const out = await page.evaluate(pageMain, { N, REPS, SS: process.env.SS ? process.env.SS.split(',').map(Number) : null, VV: process.env.VV ? process.env.VV.split(',') : null });
  console.log(out.renderer);
  const base = out.res['cur-S1024'].median;
  for (const [n, r] of Object.entries(out.res))
    console.log(`${n.padEnd(14)} median ${r.median.toFixed(2).padStart(8)} ms  min ${r.min.toFixed(2).padStart(8)} ms  ${(r.median / base).toFixed(2)} of cur-S1024  ${r.ok ? 'ok' : 'WRONG'}`);
} finally {
  await browser.close();
}
