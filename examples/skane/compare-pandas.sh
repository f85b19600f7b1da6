#!/bin/sh
# Timed comparison of issue 8 (region scale): vardval pricing a region with the embedded Skåne
# model against a pandas script doing only the core aggregation of the same capitation
# (examples/skane/pandas_capitation.py), on the same files, in the same run.
#
# Usage:  examples/skane/compare-pandas.sh DIR [YEAR]
#   DIR   a region folder in the file contract's format (see examples/README.md)
#   YEAR  the year priced (default: the year with the most contacts, as both programs choose it)
# Environment:
#   PYTHON  an interpreter with pandas (default /usr/bin/python3)
#   RUNS    runs of each program, alternating (default 3)
#
# Needs Go, GNU time (/usr/bin/time) and pandas. Prints wall time and peak resident memory of
# every run, the medians, and the ratio pandas/vardval; exits 1 if vardval is not at least 8x
# faster or not under 1 GiB peak (the issue's acceptance check). Run it on a quiet machine: the
# figures are only comparable within one run of this script.
set -eu

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	echo "usage: $0 DIR [YEAR]" >&2
	exit 2
fi
dir=$1
year=${2:-}
python=${PYTHON:-/usr/bin/python3}
runs=${RUNS:-3}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "building vardval" >&2
(cd "$root" && go build -o "$tmp/vardval" ./cmd/vardval)

period=
if [ -n "$year" ]; then
	period="--period $year"
fi

echo "load: $(uptime)"
printf '%-8s %3s %10s %12s\n' program run "wall s" "peak MiB"
i=1
while [ "$i" -le "$runs" ]; do
	# shellcheck disable=SC2086 # $period is empty or two words
	/usr/bin/time -f "%e %M" -o "$tmp/pandas.$i" "$python" "$here/pandas_capitation.py" "$dir" $year >"$tmp/pandas.csv"
	# shellcheck disable=SC2086
	/usr/bin/time -f "%e %M" -o "$tmp/vardval.$i" "$tmp/vardval" run --model skane-2023 --data "$dir" $period --format json --out "$tmp/vardval.json"
	for p in pandas vardval; do
		awk -v p="$p" -v i="$i" '{printf "%-8s %3d %10.2f %12.0f\n", p, i, $1, $2 / 1024}' "$tmp/$p.$i"
	done
	i=$((i + 1))
done
echo "load: $(uptime)"

# Medians of wall time and peak memory over the runs, then the verdict.
median() { # program column
	for f in "$tmp/$1".[0-9]*; do awk -v c="$2" '{print $c}' "$f"; done | sort -g |
		awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}
pt=$(median pandas 1)
pm=$(median pandas 2)
vt=$(median vardval 1)
vm=$(median vardval 2)
awk -v pt="$pt" -v pm="$pm" -v vt="$vt" -v vm="$vm" 'BEGIN {
	printf "median   pandas %.2f s %.0f MiB, vardval %.2f s %.0f MiB\n", pt, pm / 1024, vt, vm / 1024
	printf "ratio    pandas/vardval wall time %.1fx, peak memory %.1fx\n", pt / vt, pm / vm
	ok = (pt / vt >= 8) && (vm < 1024 * 1024)
	printf "issue 8  vardval >= 8x faster and < 1 GiB peak: %s\n", ok ? "yes" : "NO"
	exit ok ? 0 : 1
}'
