// test-corpus-shaders.mjs — the Chainer 5.4 corpus's generated shaders (core/tests/test_lang.c,
// lang_chainer_corpus with WGPY_CORPUS_DUMP=dir: k<N>.wgsl, .vert, .frag) compiled by the real
// compilers: every WGSL through Dawn's (createShaderModule + getCompilationInfo), every GLSL ES
// pair through glslangValidator.  Prints the counts per backend; fails on any rejection.
//   node js/tests/test-corpus-shaders.mjs [dir]      (default build/corpus)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createDawnDevice } from '../src/node/webgpu-host.mjs';

async function main() {
  const dir = process.argv[2] || 'build/corpus';
  const files = fs.readdirSync(dir).sort();
  const wgsl = files.filter((f) => f.endsWith('.wgsl'));
  const frag = files.filter((f) => f.endsWith('.frag'));
  if (!wgsl.length) throw new Error(`no .wgsl files in ${dir}: run the corpus test with WGPY_CORPUS_DUMP`);
  const { device } = await createDawnDevice();
  let wOk = 0, gOk = 0;
  const bad = [];
  for (const f of wgsl) {
    const code = fs.readFileSync(path.join(dir, f), 'utf8');
    device.pushErrorScope('validation');
    const m = device.createShaderModule({ code });
    const info = await m.getCompilationInfo();
    const scope = await device.popErrorScope();
    const errs = info.messages.filter((x) => x.type === 'error').map((x) => `line ${x.lineNum}: ${x.message}`);
    if (scope) errs.push(scope.message);
    if (errs.length) bad.push(`${f}: ${errs.join('; ')}`); else wOk++;
  }
  for (const f of frag) {
    const vert = f.replace(/\.frag$/, '.vert');
    const r = spawnSync('glslangValidator', [path.join(dir, vert), path.join(dir, f)], { encoding: 'utf8' });
    if (r.status === 0) gOk++; else bad.push(`${f}: ${(r.stdout + r.stderr).split('\n').filter((l) => /ERROR/.test(l)).slice(0, 3).join('; ')}`);
  }
  for (const b of bad) console.log(`FAIL ${b}`);
  console.log(`chainer corpus shaders: WGSL compiled by Dawn ${wOk} of ${wgsl.length}; GLSL ES 3.00 compiled by glslangValidator ${gOk} of ${frag.length}`);
  console.log(`${wOk + gOk} passed, ${bad.length} failed`);
  device.destroy();
  process.exit(bad.length ? 1 : 0);
}

main().catch((e) => { console.error(e); process.exit(1); });
