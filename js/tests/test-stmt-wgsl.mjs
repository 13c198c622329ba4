#!/usr/bin/env node
// test-stmt-wgsl.mjs — the WGSL of statement kernels (ir.h "Statement kernels",
// core/src/codegen/stmt.c) compiled by Dawn and run through the webgpu executor on small data.
//
// The kernels are built by hand in core/tests/test_codegen.c (stmt_kernels); the C test
// codegen_stmt_write_sources writes their WGSL (and GLSL) to a directory (stmt-sources.mjs).  For
// each kernel: createShaderModule + getCompilationInfo must report no error; then each case of
// stmt-cases.mjs runs on the executor and its results are checked.
//
//   node js/tests/test-stmt-wgsl.mjs        # after make test-c (or with WGPY_STMT_SRC_DIR set)

import fs from 'node:fs';
import path from 'node:path';
import { createDawnDevice } from '../src/node/webgpu-host.mjs';
import { WebGPUExecutor } from '../src/webgpu/executor.mjs';
import { CASES, runCase } from './stmt-cases.mjs';
import { stmtSources } from './stmt-sources.mjs';

async function main() {
  const dir = stmtSources();
  const { device, adapterInfo } = await createDawnDevice();
  console.log(`webgpu: ${adapterInfo.description || adapterInfo.device || 'adapter'}; sources from ${dir}`);
  const heap = new Uint8Array(1 << 20);
  const ex = new WebGPUExecutor(device, () => heap);
  let passes = 0, failures = 0;
  const check = async (name, fn) => {
    let why;
    try { why = await fn(); } catch (e) { why = `threw: ${e && e.stack ? e.stack : e}`; }
    if (why) failures++; else passes++;
    console.log(`${why ? 'FAIL' : 'ok  '} ${name}${why ? `: ${why}` : ''}`);
  };
  const wgsl = (name) => fs.readFileSync(path.join(dir, `${name}.wgsl`), 'utf8');

  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.wgsl')).sort();
  await check('every statement kernel has its WGSL', async () => (files.length === CASES.length ? null : `${files.length} files for ${CASES.length} cases`));
  for (const f of files) {
    await check(`compiles: ${f}`, async () => {
      const code = fs.readFileSync(path.join(dir, f), 'utf8');
      device.pushErrorScope('validation');
      const m = device.createShaderModule({ code });
      const info = await m.getCompilationInfo();
      const scope = await device.popErrorScope();
      const lines = code.split('\n');
      const errs = info.messages.filter((x) => x.type === 'error')
        .map((x) => `line ${x.lineNum}: ${x.message}\n    ${lines[x.lineNum - 1]}`);
      if (scope) errs.push(scope.message);
      return errs.length ? errs.join('\n') : null;
    });
  }
  const ids = { next: 1 };
  for (const c of CASES) await check(`${c.kernel}: ${c.title}`, () => runCase(ex, heap, { wgsl: wgsl(c.kernel) }, c, ids));

  console.log(`${passes} passed, ${failures} failed`);
  device.destroy();
  process.exit(failures ? 1 : 0);
}

main().catch((e) => { console.error(e); process.exit(1); });
