#!/usr/bin/env bash
# The browser test: builds the site (web/build.sh), serves it on 127.0.0.1, and drives
# Debian's Chromium headless with playwright-core (web/test/browser.mjs). Writes the
# screenshot and measurements to target/site-test/. Installs chromium and
# playwright-core if missing. SKIP_BUILD=1 reuses target/site/.
set -euo pipefail
cd "$(dirname "$0")/.."
tools=target/web-tools
if [ ! -x /usr/bin/chromium ]; then
  apt-get install -y -q chromium >/dev/null || { apt-get update -qq && apt-get install -y -q chromium >/dev/null; }
fi
if [ ! -d "$tools/node_modules/playwright-core" ]; then
  mkdir -p "$tools"
  (cd "$tools" && npm install --silent --no-audit --no-fund playwright-core@1.64.1 >/dev/null)
fi
[ "${SKIP_BUILD:-0}" = 1 ] || web/build.sh
# SPOFSIM names a CLI binary already built (CI passes the test build's); otherwise a build.
spofsim=${SPOFSIM:-}
if [ -z "$spofsim" ]; then
  cargo build -q --release --bin spofsim
  spofsim=$PWD/target/release/spofsim
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory target/site >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/" >/dev/null && break; sleep 0.1; done
# ES modules find packages next to the script, so it runs from the tools folder.
cp web/test/browser.mjs "$tools/browser.mjs"
SITE_URL="http://127.0.0.1:$port/" SPOFSIM="$spofsim" OUT_DIR=target/site-test \
  node "$tools/browser.mjs"
