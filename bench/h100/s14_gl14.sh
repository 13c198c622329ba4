#!/usr/bin/env bash
# bench/h100/s14_gl14.sh — task gl14 (the webgl2 backend against TF.js webgl): webgl2 does not run on the H100.
echo "skip (gl14: webgl2 backend only, no device benchmark)"
