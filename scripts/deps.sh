#!/bin/sh
# Install the Debian packages sshbook needs, only those that are missing.
# This is the one install path: `make deps` (and so `make run`, `make test`) calls it.
#
#   scripts/deps.sh        what building, running and `make test` need
#   scripts/deps.sh fuzz   that, plus clang and its libFuzzer runtime for `make fuzz`
#                          (libclang-rt-dev: libclang_rt.fuzzer, which clang alone
#                          does not pull in without recommends)
set -eu

PACKAGES="build-essential pkg-config libssh-dev libncurses-dev libsqlite3-dev
libsodium-dev libcmark-dev libcaca-dev libstb-dev libcmocka-dev libvterm-dev
libjson-c-dev libturbojpeg0-dev libwebp-dev libavformat-dev libavcodec-dev
libavutil-dev libswscale-dev ffmpeg openssh-client openssh-server"
FUZZ_PACKAGES="clang libclang-rt-dev"

for group in "$@"; do
	case "$group" in
	fuzz) PACKAGES="$PACKAGES $FUZZ_PACKAGES" ;;
	*) echo "deps: unknown group '$group' (known: fuzz)" >&2; exit 2 ;;
	esac
done

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

echo "deps: installing:$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
