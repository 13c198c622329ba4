// stmt-sources.mjs — the directory with the generated sources of the statement kernels of
// core/tests/test_codegen.c: <name>.wgsl for each, <name>.vert and <name>.frag for those webgl2
// runs.  WGPY_STMT_SRC_DIR names one; otherwise the C test codegen_stmt_write_sources of the test
// binary (build/ctest/wgtest, made by `make test-c`) writes them to a fresh temporary directory.
// Node only.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function stmtSources() {
  if (process.env.WGPY_STMT_SRC_DIR) return process.env.WGPY_STMT_SRC_DIR;
  const bin = path.join(ROOT, 'build/ctest/wgtest');
  if (!fs.existsSync(bin)) throw new Error(`${bin} is missing: run make test-c first (or set WGPY_STMT_SRC_DIR)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wgpy-stmt-'));
  const r = spawnSync(bin, ['codegen_stmt_write_sources'], {
    env: { ...process.env, WGPY_STMT_SRC_DIR: dir, ASAN_OPTIONS: 'detect_leaks=0' }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${bin} codegen_stmt_write_sources failed:\n${r.stdout}${r.stderr}`);
  return dir;
}
