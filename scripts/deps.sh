#!/bin/sh
# Install the Debian packages sshbook needs, only those that are missing.
# This is the one install path: `make deps` (and so `make run`, `make test`) calls it.
set -eu

PACKAGES="build-essential pkg-config libssh-dev libncurses-dev libsqlite3-dev
libsodium-dev libcmark-dev libcaca-dev libstb-dev libcmocka-dev libvterm-dev
libjson-c-dev libturbojpeg0-dev libwebp-dev libavformat-dev libavcodec-dev
libavutil-dev libswscale-dev ffmpeg openssh-client openssh-server"

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
