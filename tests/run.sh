#!/bin/sh
# Run every test binary of the given build directories and sum the cmocka
# results. The last line is "N passed, N failed"; the exit status is 1 when
# anything failed (or a binary crashed before reporting).
set -u

mode=all
case "${1:-}" in
--unit-only) mode=unit; shift ;;
--e2e-only) mode=e2e; shift ;;
esac

passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT INT TERM

# ASan: leaks in forked children that exec are noise; real leaks fail the test.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

run_one() {
	bin=$1
	echo "== $bin"
	"$bin" >"$log" 2>&1
	status=$?
	cat "$log"
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
	p=${p:-0}
	f=${f:-0}
	if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "!! $bin exited with status $status without a cmocka failure: counted as one failure"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
}

for build in "$@"; do
	if [ "$mode" != e2e ]; then
		for t in "$build"/tests/unit/test_* "$build"/tests/fuzz/fuzz_*; do
			[ -x "$t" ] && case "$t" in *.o|*.d) ;; *) run_one "$t" ;; esac
		done
	fi
	if [ "$mode" != unit ]; then
		for t in "$build"/tests/e2e/test_*; do
			[ -x "$t" ] && case "$t" in *.o|*.d) ;; *) SSHBOOK_BUILD="$build" run_one "$t" ;; esac
		done
	fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
