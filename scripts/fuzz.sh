#!/bin/sh
# `make fuzz`: run each libFuzzer harness (build-fuzz/bin/fuzz_NAME) for FUZZ_SECONDS,
# starting from its seeds (written by the replay build, BUILD/tests/fuzz/fuzz_NAME) and
# its committed corpus, tests/fuzz/corpus/NAME. Then, unless FUZZ_MERGE=0, the corpus is
# rebuilt as the smallest set of inputs (libFuzzer's -merge=1) that covers what the old
# corpus and the new finds cover; files named regress-* (inputs of fixed bugs) always stay.
#
# Prints one line per harness with the figures of libFuzzer's last status line, and
# writes them as a table to build-fuzz/summary.md. A crash, leak, timeout or sanitizer
# report leaves its input in build-fuzz/artifacts/NAME/ and makes the script fail
# (after the other harnesses have run).
#
# usage: scripts/fuzz.sh BUILD NAME...
set -u

build=$1
shift
secs=${FUZZ_SECONDS:-60}
maxlen=${FUZZ_MAX_LEN:-4096}
merge=${FUZZ_MERGE:-1}
out=build-fuzz
failed=""

mkdir -p "$out/logs"
summary="$out/summary.md"
{
	echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, ${secs} s per harness, -max_len=$maxlen"
	echo
	echo "| harness | runs | exec/s | cov | ft | corpus (files, bytes) | peak RSS |"
	echo "| --- | --- | --- | --- | --- | --- | --- |"
} >"$summary"

# -fno-sanitize-recover makes UBSan reports crashes; ASan's leak check runs after each input.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

for n in "$@"; do
	bin="$out/bin/fuzz_$n"
	corpus="tests/fuzz/corpus/$n"
	work="$out/corpus/$n"
	art="$out/artifacts/$n"
	log="$out/logs/$n.log"
	rm -rf "$work" "$art" "$out/tmp"
	mkdir -p "$work" "$art" "$corpus" "$out/tmp"
	"$build/tests/fuzz/fuzz_$n" --write-seeds "$work" || exit 1
	cp "$corpus"/* "$work"/ 2>/dev/null
	echo "fuzz $n: ${secs} s (log: $log)"
	# A harness's temporary files (fuzz_cli's databases) go here, even after a crash.
	TMPDIR="$PWD/$out/tmp" "$bin" -max_total_time="$secs" -max_len="$maxlen" -timeout=10 \
	    -rss_limit_mb=2560 -print_final_stats=1 -artifact_prefix="$art/" "$work" >"$log" 2>&1
	status=$?
	# The last status line: "#N DONE cov: C ft: F corp: K/BKb lim: L exec/s: E rss: RMb".
	last=$(grep -E '^#[0-9]+' "$log" | tail -1)
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log")
	cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	if [ "$status" -ne 0 ]; then
		echo "!! fuzz $n failed (status $status): $(ls "$art" | tr '\n' ' ')"
		grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error)' "$log" | head -3
		echo "   replay it: $build/tests/fuzz/fuzz_$n $art/<file> (or $bin $art/<file>)"
		failed="$failed $n"
		echo "| $n | failed: see $log | | | | | |" >>"$summary"
		continue
	fi
	if [ "$merge" = 1 ]; then
		fresh="$out/merged/$n"
		rm -rf "$fresh"
		mkdir -p "$fresh"
		# Keep the regression inputs as they are; minimise everything else together.
		TMPDIR="$PWD/$out/tmp" "$bin" -merge=1 -max_len="$maxlen" -timeout=10 \
		    -rss_limit_mb=2560 "$fresh" "$corpus" "$work" >>"$log" 2>&1 ||
		    { echo "!! merge of $n failed"; exit 1; }
		find "$corpus" -type f ! -name 'regress-*' -delete
		for f in "$fresh"/*; do
			[ -e "$f" ] && cp "$f" "$corpus/"
		done
		# A regression input the merge kept too is there already under its own name.
		for r in "$corpus"/regress-*; do
			[ -e "$r" ] || continue
			for f in "$corpus"/*; do
				case "$f" in */regress-*) continue ;; esac
				cmp -s "$r" "$f" && rm -f "$f"
			done
		done
		kept="$corpus"
	else
		kept="$work"
	fi
	files=$(find "$kept" -type f | wc -l)
	bytes=$(find "$kept" -type f -exec cat {} + | wc -c)
	echo "fuzz $n: $runs runs, $eps exec/s, cov $cov ft $ft, corpus $files files $bytes bytes, peak rss ${rss} MB"
	echo "| $n | $runs | $eps | $cov | $ft | $files, $bytes | ${rss} MB |" >>"$summary"
done

echo "figures: $summary"
if [ -n "$failed" ]; then
	echo "fuzz: failed:$failed"
	exit 1
fi
