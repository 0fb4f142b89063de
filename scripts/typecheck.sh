#!/usr/bin/env bash
# mypy cannot see setuptools' package-dir mapping, so build a throw-away link tree that mirrors
# the installed layout (litsynth/, litsynth/agents -> agents/, ...) and check that.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
tree="$(mktemp -d)"
trap 'rm -rf "$tree"' EXIT
mkdir "$tree/litsynth"
for entry in "$repo"/litsynth/*; do ln -s "$entry" "$tree/litsynth/$(basename "$entry")"; done
for sub in agents graph prompts vectorstore evals tests; do ln -s "$repo/$sub" "$tree/litsynth/$sub"; done
cd "$tree"
MYPYPATH="$tree" mypy --config-file "$repo/pyproject.toml" -p litsynth
