#!/usr/bin/env bash
# Runs the desktop app under Xvfb (a virtual X display, Debian package `xvfb`) and
# writes a screenshot of its window: by default the full single-site example with the
# storage array (one of its two SPOFs) selected and its chain highlighted.
#   gui/screenshot.sh [OUT.png] [SCENARIO] [COMPONENT]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-target/screenshots/full-single-site.png}
scenario=${2:-scenarios/full-single-site.jsonc}
select=${3:-array}
if ! command -v Xvfb >/dev/null; then
  apt-get install -y -q xvfb libgl1-mesa-dri libegl1 libxkbcommon-x11-0 >/dev/null
fi
# SPOFSIM_GUI names an app binary already built (CI passes the one `cargo test
# --workspace --release` built); otherwise a release build.
gui=${SPOFSIM_GUI:-}
if [ -z "$gui" ]; then
  cargo build -q --release -p spofsim-gui
  gui=target/release/spofsim-gui
fi
mkdir -p "$(dirname "$out")"
display=:$((90 + RANDOM % 100))
Xvfb "$display" -screen 0 1600x1000x24 -nolisten tcp &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true' EXIT
sleep 1
# Software OpenGL (llvmpipe) under Xvfb; a private config dir so no saved session leaks in.
DISPLAY=$display LIBGL_ALWAYS_SOFTWARE=1 XDG_CONFIG_HOME=$(mktemp -d) XDG_DATA_HOME=$(mktemp -d) \
  timeout 120 "$gui" "$scenario" --select "$select" --screenshot "$out"
echo "wrote $out"
