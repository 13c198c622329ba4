#!/usr/bin/env bash
# bench/h100/s13_ci13.sh — task ci13 (the CI suite's stages and sampling): nothing to measure on a GPU.
echo "skip (ci13: CI test stages only, no device benchmark)"
