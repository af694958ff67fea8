#!/bin/sh
# Run every benchmark against the given build and print the figures.
# bench/README.md explains the method; paste the output there after a run.
set -u
build=${1:-build}
bin="$build/bench/sshbook-bench"
export SSHBOOK_BUILD="$build"
status=0

echo "# sshbook benchmarks, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $(uname -r)"
for b in "connect 50" "pss 100" "hold 500" "notify 200" "dm 500" "dmload 100" "fanout 19" \
    "flood 20" "pwlogin 8" "bigpty 3" "chaos 300"; do
	# shellcheck disable=SC2086
	set -- $b
	echo "## $1 (N=$2)"
	"$bin" "$1" "$2" || { echo "!! $1 failed"; status=1; }
done
# Storage alone, on a generated database (bench/storage_bench.c).
for b in "search 100000"; do
	# shellcheck disable=SC2086
	set -- $b
	echo "## $1 (users=$2)"
	"$build/bench/sshbook-bench-storage" "$1" "$2" || { echo "!! $1 failed"; status=1; }
done
# Posts and feeds on 100,000 users, 1,000,000 posts (bench/storage_bench.c feeds).
for b in "feeds 100000"; do
	# shellcheck disable=SC2086
	set -- $b
	echo "## $1 (users=$2)"
	"$build/bench/sshbook-bench-storage" "$1" "$2" || { echo "!! $1 failed"; status=1; }
done
# What the per-user write limit costs a write (bench/storage_bench.c writes).
echo "## writes (N=20000)"
"$build/bench/sshbook-bench-storage" writes 20000 || { echo "!! writes failed"; status=1; }
# Media: processing a 12-megapixel JPEG, drawing cached previews (bench/media_bench.c).
for b in "process 15" "draw 1000"; do
	# shellcheck disable=SC2086
	set -- $b
	echo "## media $1 (N=$2)"
	"$build/bench/sshbook-bench-media" "$1" "$2" || { echo "!! media $1 failed"; status=1; }
done
exit $status
