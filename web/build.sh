#!/usr/bin/env bash
# Builds the browser demo into target/site/ (index.html, pkg/ with the JS bindings and
# the .wasm, scenarios/ with the bundled examples): a static folder to host anywhere.
#   web/build.sh            # release build, optimised with wasm-opt
#   WASM_OPT=0 web/build.sh # skip wasm-opt
# On a machine where `rustup target add wasm32-unknown-unknown` works, that target is
# used as is. Otherwise (this workplace: rustup cannot download std for wasm32) it
# installs Debian's rustc-web and builds std from source (../shared/notes/wasm-build.md).
# wasm-bindgen-cli is installed at exactly the wasm-bindgen version in Cargo.lock, and
# wasm-opt comes from npm's binaryen (Debian's wasm-opt 108 breaks the module).
# A separate target dir (target/web) keeps the native build cache intact.
set -euo pipefail
cd "$(dirname "$0")/.."
site=target/site
tools=target/web-tools
export CARGO_TERM_COLOR=never

bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if ! command -v wasm-bindgen >/dev/null || [ "$(wasm-bindgen --version | awk '{print $2}')" != "$bindgen_version" ]; then
  echo "installing wasm-bindgen-cli $bindgen_version (a few minutes, once)" >&2
  # Not --locked: its lockfile pins a yanked webpki-roots (see the wasm-build note).
  cargo install -q wasm-bindgen-cli --version "=$bindgen_version"
fi

# WebAssembly SIMD (every current browser has it) keeps egui's rasteriser small.
export RUSTFLAGS="${RUSTFLAGS:-} -C target-feature=+simd128"
build=(cargo build -p spofsim-web --lib --profile web --target wasm32-unknown-unknown --target-dir target/web)
if rustup target list --installed 2>/dev/null | grep -q '^wasm32-unknown-unknown$'; then
  "${build[@]}"
else
  prefix=$(./.ci/install-rustweb.sh)
  RUSTC="$prefix/bin/rustc" RUSTC_BOOTSTRAP=1 \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER="$prefix/bin/wasm-ld" \
    "${build[@]}" -Z build-std=std,panic_abort
fi
wasm=target/web/wasm32-unknown-unknown/web/spofsim_web.wasm

rm -rf "$site"
mkdir -p "$site/pkg"
wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section --out-dir "$site/pkg" "$wasm"
if [ "${WASM_OPT:-1}" != 0 ]; then
  if [ ! -x "$tools/node_modules/.bin/wasm-opt" ]; then
    mkdir -p "$tools"
    (cd "$tools" && npm install --silent --no-audit --no-fund binaryen@132.0.0 >/dev/null)
  fi
  "$tools/node_modules/.bin/wasm-opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue --enable-simd --strip-debug --strip-producers \
    "$site/pkg/spofsim_web_bg.wasm" -o "$site/pkg/spofsim_web_bg.wasm"
fi
cp web/static/index.html "$site/"
mkdir -p "$site/scenarios"
(cd scenarios && find . -name '*.jsonc' -print0 | xargs -0 -I{} cp --parents {} "../$site/scenarios/")
cp scenarios/scenario.schema.json "$site/scenarios/" 2>/dev/null || true
printf 'built %s: wasm %s bytes\n' "$site" "$(stat -c %s "$site/pkg/spofsim_web_bg.wasm")"
