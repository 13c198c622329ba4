// wrap_patch.mjs — measurement only (bench/h100/wrap_probe.sh): textual simplifications of the
// WGSL the engine generates, applied just before compilation, to measure what the generator's
// safety wrappers cost on a real GPU.  Letters in WGPY_WRAP_PATCH:
//   P  pos_i/pos_u (an element's position, clamped to the binding) return the unclamped sum
//   G  ldr_*/str_* (raw global loads and stores) lose their arrayLength() branch
//   W  workgroup-array reads/writes lose their select/min/if bounds checks
//   H  lsh_*/rsh_* (shifts with C's out-of-range rule) become plain masked shifts
// Results stay right only while every index is in range (true of the library's kernels); Dawn's
// robustness still clamps whatever is not.  Never used by the library.
export function wrapPatch(code, letters) {
  if (!letters) return code;
  if (letters.includes('P')) {
    code = code.replace(/fn pos_i\(o: i32, e: i32, n: u32\) -> u32 \{[\s\S]*?\n\}/,
      'fn pos_i(o: i32, e: i32, n: u32) -> u32 { return bitcast<u32>(o + e); }');
    code = code.replace(/fn pos_u\(o: i32, e: u32, n: u32\) -> u32 \{[\s\S]*?\n\}/,
      'fn pos_u(o: i32, e: u32, n: u32) -> u32 { return u32(o) + e; }');
  }
  if (letters.includes('G')) {
    code = code.replace(/fn (ldr_\w+)\(x: u32\) -> ([\w<>]+) \{ if \(x >= arrayLength\(&b_\w+\)\) \{ return [^;]*; \} return ([^;]*); \}/g,
      'fn $1(x: u32) -> $2 { return $3; }');
    code = code.replace(/fn (str_\w+)\(x: u32, v: ([\w<>]+)\) \{ if \(x < arrayLength\(&b_\w+\)\) \{ ([^}]*) \} \}/g,
      'fn $1(x: u32, v: $2) { $3 }');
  }
  if (letters.includes('W')) {
    code = code.replace(/select\([^,()]+, (wgsh\d+)\[min\((bitcast<u32>\(\w+\)), \d+u\)\], bitcast<u32>\(\w+\) < \d+u\)/g, '$1[$2]');
    code = code.replace(/if \((bitcast<u32>\(\w+\)) < \d+u\) \{ (wgsh\d+)\[bitcast<u32>\(\w+\)\] = ([^;]+); \}/g, '$2[$1] = $3;');
  }
  if (letters.includes('H')) {
    for (const f of ['lsh_i', 'rsh_i', 'lsh_u', 'rsh_u']) code = code.replace(new RegExp(`\\b${f}\\(`, 'g'), `x${f}(`);
    for (const f of ['lsh_i', 'rsh_i', 'lsh_u', 'rsh_u']) code = code.replace(`fn x${f}(`, `fn o${f}(`);
    code += '\nfn xlsh_i(x: i32, y: i32, w: u32) -> i32 { return x << (bitcast<u32>(y) & 31u); }'
      + '\nfn xrsh_i(x: i32, y: i32, w: u32) -> i32 { return x >> (bitcast<u32>(y) & 31u); }'
      + '\nfn xlsh_u(x: u32, y: u32, w: u32) -> u32 { return x << (y & 31u); }'
      + '\nfn xrsh_u(x: u32, y: u32, w: u32) -> u32 { return x >> (y & 31u); }\n';
  }
  return code;
}
