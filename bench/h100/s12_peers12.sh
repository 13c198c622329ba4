#!/usr/bin/env bash
# bench/h100/s12_peers12.sh — peers12 (issue 15 on SwiftShader: Pyodide, webgl2, bench/peers)
# has no use for the H100: its figures are SwiftShader's in Chromium on the development machine.
echo "peers12: skip (SwiftShader work; nothing to measure on the H100)"
