#!/usr/bin/env bash
# Installs Debian's rustc-web (with its std sources) into a private prefix so that
# wasm32 builds work on machines where `rustup target add` cannot download.
# Recipe: ../shared/notes/wasm-build.md. Idempotent; prints the prefix.
set -euo pipefail
PREFIX=${RUSTWEB_PREFIX:-/opt/rustweb}
if [ -x "$PREFIX/bin/rustc" ] && "$PREFIX/bin/rustc" --version >/dev/null 2>&1; then
  echo "$PREFIX"; exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp"
 apt-get update -qq >/dev/null
 apt-get download -qq rustc-web libstd-rust-web-dev libstd-rust-web-1.96 rust-web-src \
   lld-22 liblld-22 libllvm22 >/dev/null
 mkdir -p "$PREFIX"
 for f in *.deb; do dpkg -x "$f" "$PREFIX"; done)
mkdir -p "$PREFIX/bin"
cat > "$PREFIX/bin/rustc" <<W
#!/bin/sh
export LD_LIBRARY_PATH=$PREFIX/usr/lib/x86_64-linux-gnu\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}
exec $PREFIX/usr/bin/rustc "\$@"
W
cat > "$PREFIX/bin/wasm-ld" <<W
#!/bin/sh
export LD_LIBRARY_PATH=$PREFIX/usr/lib/x86_64-linux-gnu\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}
exec $PREFIX/usr/lib/llvm-22/bin/wasm-ld "\$@"
W
chmod +x "$PREFIX/bin/rustc" "$PREFIX/bin/wasm-ld"
"$PREFIX/bin/rustc" --version >&2
echo "$PREFIX"
