#!/usr/bin/env bash
# Builds the container image localhost/spofsim:latest from the repository's Containerfile
# without any container registry, then smoke-tests it.
#
#  1. base image localhost/spofsim-base:bookworm: a minimal Debian 12 root filesystem
#     (mmdebstrap --variant=essential, merged /usr, no docs/man pages/locales) from
#     Debian's mirror, imported with `podman import` (reused when present);
#  2. `podman build --pull=never -f Containerfile` FROM that image, on a small context
#     holding the release binary and scenarios/;
#  3. smoke test: --version, `check scenarios/shop-two-tier.jsonc`, two shards written to
#     a mounted volume (one as in the Kubernetes example of docs/SHARDING.md, through
#     `sh -c` and JOB_COMPLETION_INDEX), merged in the container, byte-identical to the
#     single run.
#
# Usage (as root, Debian/Ubuntu):  tests/container/build.sh
#   SPOFSIM=/path/to/spofsim   binary to put in the image (default: target/release/spofsim,
#                              built with `cargo build --release` if missing)
#   IMAGE=localhost/spofsim:latest          tag of the image
#   BASE_IMAGE=localhost/spofsim-base:bookworm
#   REBUILD_BASE=1             rebuild the base image even when it exists
#   DEBIAN_MIRROR=http://deb.debian.org/debian
#   DEBIAN_SECURITY_MIRROR=http://deb.debian.org/debian-security
#   SAVE_TAR=file.tar          also write the image as an archive (podman save), e.g. for
#                              `kind load image-archive` or `ctr -n k8s.io images import`
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=$(pwd)
export DEBIAN_FRONTEND=noninteractive

IMAGE=${IMAGE:-localhost/spofsim:latest}
BASE_IMAGE=${BASE_IMAGE:-localhost/spofsim-base:bookworm}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
SCENARIO=scenarios/shop-two-tier.jsonc
SIM_ARGS=(--years 200 --replications 40 --seed 7 --quiet)

say() { printf '[container %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
die() { printf '[container] FAIL: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root (mmdebstrap, podman)"

# --- the binary -------------------------------------------------------------------------
if [ -z "${SPOFSIM:-}" ]; then
  SPOFSIM=$REPO/target/release/spofsim
  if [ ! -x "$SPOFSIM" ]; then
    say "building $SPOFSIM (cargo build --release)"
    cargo build --release
  fi
fi
[ -x "$SPOFSIM" ] || die "spofsim binary not found or not executable: $SPOFSIM"

# --- packages ---------------------------------------------------------------------------
apt_updated=0
apt_install() {
  if [ "$apt_updated" -eq 0 ]; then apt-get update -qq; apt_updated=1; fi
  apt-get install -y -qq "$@" >/dev/null
}
need=()
command -v podman >/dev/null || need+=(podman)
command -v mmdebstrap >/dev/null || need+=(mmdebstrap)
[ -e /usr/share/keyrings/debian-archive-keyring.gpg ] || need+=(debian-archive-keyring)
if [ ${#need[@]} -gt 0 ]; then
  say "installing ${need[*]}"
  apt_install "${need[@]}"
fi

W=$(mktemp -d /tmp/spofsim-container.XXXXXX)
trap 'rm -rf "$W"' EXIT

remove_if_dangling() { # remove_if_dangling OLD_ID NAME: drop the image we just replaced
  [ -n "$1" ] || return 0
  [ "$1" != "$(podman image inspect --format '{{.Id}}' "$2" 2>/dev/null)" ] || return 0
  if [ -z "$(podman image inspect --format '{{join .RepoTags ","}}' "$1" 2>/dev/null)" ]; then
    podman rmi "$1" >/dev/null 2>&1 || true
  fi
}

# --- 1. base image ----------------------------------------------------------------------
if [ "${REBUILD_BASE:-0}" = 1 ] || ! podman image exists "$BASE_IMAGE"; then
  say "mmdebstrap: Debian 12 (essential) from $MIRROR"
  old=$(podman image inspect --format '{{.Id}}' "$BASE_IMAGE" 2>/dev/null || true)
  if ! mmdebstrap --variant=essential --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    bookworm "$W/rootfs.tar" \
    "deb $MIRROR bookworm main" "deb $MIRROR bookworm-updates main" \
    "deb $SECURITY_MIRROR bookworm-security main" >"$W/mmdebstrap.log" 2>&1; then
    tail -n 40 "$W/mmdebstrap.log" >&2
    die "mmdebstrap failed"
  fi
  say "podman import -> $BASE_IMAGE ($(($(stat -c %s "$W/rootfs.tar") / 1000000)) MB tar)"
  podman import --quiet --message "Debian 12 bookworm, mmdebstrap --variant=essential" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["bash"]' "$W/rootfs.tar" "$BASE_IMAGE" >/dev/null
  rm -f "$W/rootfs.tar"
  remove_if_dangling "$old" "$BASE_IMAGE"
else
  say "reusing base image $BASE_IMAGE (REBUILD_BASE=1 to rebuild it)"
fi

# --- how containers run here ------------------------------------------------------------
# Plain `podman run` first. Where that fails (in a VM without CAP_SYS_RESOURCE podman's
# default rlimits of 1048576 cannot be set; crun refuses hybrid cgroup v1/v2 hosts),
# fall back to explicit ulimits, then to the runc runtime.
ULIMITS=(--ulimit nofile=4096:4096 --ulimit nproc=4096:4096)
PODMAN=(podman)
RUN_OPTS=(--network none)
probe() { "${PODMAN[@]}" run --rm "${RUN_OPTS[@]}" "$BASE_IMAGE" true >>"$W/probe.log" 2>&1; }
if ! probe; then
  RUN_OPTS=(--network none "${ULIMITS[@]}")
  if ! probe; then
    command -v runc >/dev/null || { say "installing runc"; apt_install runc; }
    PODMAN=(podman --runtime runc)
    probe || { cat "$W/probe.log" >&2; die "cannot run a container with podman (see errors above)"; }
  fi
fi
say "containers run with: ${PODMAN[*]} run ${RUN_OPTS[*]}"

# --- 2. the image -----------------------------------------------------------------------
mkdir -p "$W/ctx/target/release"
cp "$REPO/Containerfile" "$W/ctx/Containerfile"
cp "$SPOFSIM" "$W/ctx/target/release/spofsim"
cp -r "$REPO/scenarios" "$W/ctx/scenarios"
old=$(podman image inspect --format '{{.Id}}' "$IMAGE" 2>/dev/null || true)
say "podman build -> $IMAGE"
BUILD_OPTS=()
[ "${RUN_OPTS[*]}" = "--network none" ] || BUILD_OPTS=("${ULIMITS[@]}")
"${PODMAN[@]}" build --pull=never --layers=false "${BUILD_OPTS[@]}" --build-arg BASE="$BASE_IMAGE" \
  -f "$W/ctx/Containerfile" -t "$IMAGE" "$W/ctx"
remove_if_dangling "$old" "$IMAGE"

# --- 3. smoke test ----------------------------------------------------------------------
run() { "${PODMAN[@]}" run --rm "${RUN_OPTS[@]}" "$@"; }
say "smoke test"
version=$(run "$IMAGE" --version)
[ "$version" = "$("$SPOFSIM" --version)" ] || die "spofsim --version in the image: '$version'"
echo "$version"
run "$IMAGE" check "$SCENARIO"
R=$W/results
mkdir -p "$R"
run -v "$R:/results:Z" "$IMAGE" simulate "$SCENARIO" "${SIM_ARGS[@]}" \
  --shard 0/2 --output /results/shard-0.json
# shard 1 as the Kubernetes Indexed Job in docs/SHARDING.md runs it
run -v "$R:/results:Z" -e JOB_COMPLETION_INDEX=1 --entrypoint sh "$IMAGE" -c \
  "spofsim simulate /$SCENARIO ${SIM_ARGS[*]} --shard \${JOB_COMPLETION_INDEX}/2 --output /results/shard-\${JOB_COMPLETION_INDEX}.json"
for i in 0 1; do [ -s "$R/shard-$i.json" ] || die "shard $i was not written to the volume"; done
run -v "$R:/results:Z" "$IMAGE" merge /results/shard-0.json /results/shard-1.json \
  --format json --output /results/merged.json
run -v "$R:/results:Z" "$IMAGE" simulate "$SCENARIO" "${SIM_ARGS[@]}" \
  --format json --output /results/single.json
echo "merged.json: $(wc -c <"$R/merged.json") bytes; single.json: $(wc -c <"$R/single.json") bytes"
cmp "$R/merged.json" "$R/single.json" || die "merged shards differ from the single run"
echo identical

if [ -n "${SAVE_TAR:-}" ]; then
  say "podman save -> $SAVE_TAR"
  rm -f "$SAVE_TAR"
  podman save --quiet --format docker-archive -o "$SAVE_TAR" "$IMAGE"
fi

size=$(podman image inspect --format '{{.Size}}' "$IMAGE")
base_size=$(podman image inspect --format '{{.Size}}' "$BASE_IMAGE")
say "PASS: $IMAGE is $((size / 1000000)) MB (base $((base_size / 1000000)) MB), ${SECONDS}s"
