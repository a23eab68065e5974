#!/usr/bin/env bash
# Imports a real NetBox over HTTP and requires the result to be byte-identical to the
# offline import of the same data (docs/NETBOX.md, "Tests"). Starts NetBox 4.2.9 with its
# official demo data on 127.0.0.1:8000 (tests/data/netbox/server/start-netbox.sh: Debian 12,
# root, PostgreSQL and Redis from Debian, NetBox's Python packages from PyPI; about 4
# minutes the first time, seconds when it already runs), then:
#   1. live import (with --save) == import of the saved responses, byte for byte;
#   2. live import == import of the recorded tests/data/netbox/api, once NetBox's host
#      name in the object URLs is the recording's (netbox.example.com);
#   3. after add-examples.py: live == import of api + api-examples, the same way.
# Prints the time each step took, and stops NetBox at the end (the install stays).
set -euo pipefail
cd "$(dirname "$0")/.."
server=tests/data/netbox/server
out=target/netbox-live
rm -rf "$out" && mkdir -p "$out"
spofsim=${SPOFSIM:-target/release/spofsim}
[ -x "$spofsim" ] || cargo build --release -q
t0=$(date +%s)
# The demo data exactly as recorded: an earlier run added the example objects, so the
# database is dropped and start-netbox.sh loads the demo dump again (the install stays).
if [ -x /opt/netbox-4.2.9/venv/bin/python ]; then
  "$server/stop-netbox.sh" >/dev/null 2>&1 || true
  pg_ctlcluster 15 main start >/dev/null 2>&1 || true
  runuser -u postgres -- dropdb --if-exists netbox
fi
# Files, not a pipe: the server start-netbox.sh leaves running inherits its descriptors.
trap '"$server/stop-netbox.sh" >"$out/stop-netbox.log" 2>&1 || true' EXIT
if ! "$server/start-netbox.sh" >"$out/token" 2>"$out/start-netbox.log"; then
  tail -n 30 "$out/start-netbox.log" >&2
  exit 1
fi
token=$(tail -n 1 "$out/token")
t1=$(date +%s)
echo "netbox-live: NetBox up in $((t1 - t0)) s"
url=http://127.0.0.1:8000
live() { # $1: name; the live import, its saved responses, and the saved import
  NETBOX_TOKEN="$token" "$spofsim" import netbox --url "$url" --save "$out/$1-saved" ${2:+--name "$2"} --output "$out/$1-live.jsonc" 2>"$out/$1-live.stderr"
  "$spofsim" import netbox --from "$out/$1-saved" ${2:+--name "$2"} --output "$out/$1-saved.jsonc" 2>/dev/null
  cmp "$out/$1-live.jsonc" "$out/$1-saved.jsonc"
  # NetBox writes absolute URLs with the host it was asked by.
  sed "s#http://127.0.0.1:8000/#http://netbox.example.com/#g" "$out/$1-live.jsonc" > "$out/$1-live-as-recorded.jsonc"
}
live demo
"$spofsim" import netbox --from tests/data/netbox/api --output "$out/demo-recorded.jsonc" 2>/dev/null
cmp "$out/demo-live-as-recorded.jsonc" "$out/demo-recorded.jsonc"
# The desktop app's File → Import from NetBox (live URL) opens the same design. Its test
# binary is the one `cargo test --workspace --release` built (the same command with
# --no-run names it without building again).
gui_test=$(cargo test --workspace --release --no-run --message-format=json 2>/dev/null | python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "spofsim_gui" and "lib" in m["target"]["kind"] and m.get("executable"):
        print(m["executable"])')
[ -n "$gui_test" ] || { echo "netbox-live: no spofsim-gui test binary" >&2; exit 1; }
SPOFSIM_LIVE_NETBOX_URL="$url" NETBOX_TOKEN="$token" SPOFSIM_LIVE_EXPECT="$out/demo-live.jsonc" \
  "$gui_test" --ignored --exact files::netbox_tests::importing_from_a_live_netbox_url > "$out/gui-live.log" 2>&1 \
  || { cat "$out/gui-live.log" >&2; exit 1; }
t2=$(date +%s)
echo "netbox-live: demo data: live import == saved == recorded == the desktop app's live import ($(wc -l < "$out/demo-live.jsonc") lines) in $((t2 - t1)) s"
python3 "$server/add-examples.py" "$token" >/dev/null
live examples netbox-demo
"$spofsim" import netbox --from tests/data/netbox/api --from tests/data/netbox/api-examples --name netbox-demo --output "$out/examples-recorded.jsonc" 2>/dev/null
cmp "$out/examples-live-as-recorded.jsonc" "$out/examples-recorded.jsonc"
cmp "$out/examples-recorded.jsonc" scenarios/netbox/netbox-demo.jsonc
t3=$(date +%s)
echo "netbox-live: with the example objects: live import == saved == recorded == scenarios/netbox/netbox-demo.jsonc in $((t3 - t2)) s"
echo "netbox-live: passed in $((t3 - t0)) s"
