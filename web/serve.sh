#!/usr/bin/env bash
# Serves target/site/ (built by web/build.sh) on http://127.0.0.1:PORT/ (default 8080).
set -euo pipefail
cd "$(dirname "$0")/../target/site"
exec python3 -m http.server "${1:-8080}" --bind 127.0.0.1
