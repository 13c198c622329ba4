// probe_common.mjs — what the hand-written Dawn probes of bench/h100 share: the GPU time of a
// dispatch by timestamps, and the WGSL of the random library's float32 grid (f24, the log
// polynomial log24, Box-Muller bm24 on the grid; core/src/api/random.c wg_f24 / wg_log24 /
// wg_bm24, docs/random.md "Session 16").

// GPU ms of one dispatch of pipeline p (bind group bg, `groups` workgroups, split over y past
// 65535): `warmups` untimed passes, then `reps` passes each timed by its own timestamps, all in one
// submit; the median.
export async function gpuTime(device, p, bg, groups, reps = 21, warmups = 3) {
  const U = GPUBufferUsage;
  const qs = device.createQuerySet({ type: 'timestamp', count: 2 * reps });
  const res = device.createBuffer({ size: 16 * reps, usage: U.QUERY_RESOLVE | U.COPY_SRC });
  const rd = device.createBuffer({ size: 16 * reps, usage: U.MAP_READ | U.COPY_DST });
  const enc = device.createCommandEncoder();
  const gx = Math.min(groups, 65535), gy = Math.ceil(groups / gx);
  for (let r = 0; r < reps + warmups; r++) {
    const j = r - warmups;
    const tw = j >= 0 ? { querySet: qs, beginningOfPassWriteIndex: 2 * j, endOfPassWriteIndex: 2 * j + 1 } : undefined;
    const pass = enc.beginComputePass(tw ? { timestampWrites: tw } : {});
    pass.setPipeline(p); pass.setBindGroup(0, bg); pass.dispatchWorkgroups(gx, gy); pass.end();
  }
  enc.resolveQuerySet(qs, 0, 2 * reps, res, 0);
  enc.copyBufferToBuffer(res, 0, rd, 0, 16 * reps);
  device.queue.submit([enc.finish()]);
  await rd.mapAsync(GPUMapMode.READ);
  const t = new BigUint64Array(rd.getMappedRange()), d = [];
  for (let r = 0; r < reps; r++) d.push(Number(t[2 * r + 1] - t[2 * r]) / 1e6);
  rd.unmap(); rd.destroy(); res.destroy(); qs.destroy();
  d.sort((a, b) => a - b);
  return d[reps >> 1];
}

// f24(w, h): a word's top 24 bits on the 2^-24 grid (shifted by h steps); log24(a): log of
// f24(a, 0.5) rounded to float32, by its bits and a degree-8 polynomial; bm24r(rad, b): the
// Box-Muller pair of radius rad and the angle of b's top 24 bits (quadrant and fold, no range
// reduction); bm24(a, b) the pair of words a, b
export const GRID_WGSL = `
fn f24(w: u32, h: f32) -> f32 { return (f32(w >> 8u) + h) * 5.9604644775390625e-08; }
fn log24(a: u32) -> f32 {
  let b = bitcast<u32>(f32(a >> 8u) + 0.5); let mant = b & 8388607u; let big = mant > 3474675u;
  let y = bitcast<f32>(mant | select(1065353216u, 1056964608u, big)) - 1.0;
  let e = f32((bitcast<i32>(b - 1065353216u) >> 23u) + select(0, 1, big) - 24);
  let q = (((((((-0.07623060792684555 * y + 0.12905503809452057) * y - 0.1324298083782196) * y +
    0.14181634783744812) * y - 0.16609056293964386) * y + 0.20001985132694244) * y -
    0.25001585483551025) * y + 0.33333325386047363) * y - 0.49999988079071045;
  return e * 0.693359375 + (e * -2.1219444e-4 + (y + y * y * q));
}
fn bm24(a: u32, b: u32) -> vec2<f32> { return bm24r(sqrt(-2.0 * log24(a)), b); }
fn bm24r(rad: f32, b: u32) -> vec2<f32> {
  let m = b >> 8u; let q = m >> 22u; let r = m & 4194303u;
  let fold = r >= 2097152u;
  let x = f32(select(r, 4194304u - r, fold)) * 3.7450702829239286e-07;
  let z = x * x;
  let sp = ((-1.9515295891e-4 * z + 8.3321608736e-3) * z - 1.6666654611e-1) * z * x + x;
  let cp = ((2.443315711809948e-5 * z - 1.388731625493765e-3) * z + 4.166664568298827e-2) * z * z - 0.5 * z + 1.0;
  let sw = ((q & 1u) != 0u) != fold;
  let c0 = select(cp, sp, sw); let s0 = select(sp, cp, sw);
  return vec2<f32>(rad * select(c0, -c0, q == 1u || q == 2u), rad * select(s0, -s0, q >= 2u));
}
fn uniform4(r: vec4<u32>) -> vec4<f32> { return vec4<f32>(f24(r.x, 0.0), f24(r.y, 0.0), f24(r.z, 0.0), f24(r.w, 0.0)); }
`;
