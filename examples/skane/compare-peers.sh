#!/bin/sh
# Timed comparison of issue 21 ("ahead of the strongest peer"): `vardval run --model skane-2023`
# against the capitation core of the same year in DuckDB (duckdb_capitation.mjs, npm package
# @duckdb/node-api 1.5.6, every core) and in pandas (pandas_core.py), on the same files, in the
# same run. The files should be an independently generated year (generate-independent.mjs: not
# vardval's synth, personnummer ids, rows sorted by date).
#
# Usage:  examples/skane/compare-peers.sh DIR [YEAR]
#   DIR   a region folder in the file contract's format, e.g. written by
#         node examples/skane/generate-independent.mjs /tmp/independent
# Environment:
#   PYTHON  an interpreter with pandas (default /usr/bin/python3); PANDAS=0 leaves pandas out
#   RUNS    runs of each program, alternating (default 3)
#
# Needs Go, Node 18+ with npm (the DuckDB package is installed into examples/skane/node_modules on
# first use), GNU time (/usr/bin/time) and pandas. Prints wall time and peak resident memory of
# every run, the medians and the ratios; exits 1 unless vardval is at least 1.5x faster than
# DuckDB, 8x faster than pandas and under 1 GiB peak. Run it on a quiet machine: the figures are
# only comparable within one run of this script.
set -eu

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	echo "usage: $0 DIR [YEAR]" >&2
	exit 2
fi
dir=$1
year=${2:-}
python=${PYTHON:-/usr/bin/python3}
runs=${RUNS:-3}
pandas=${PANDAS:-1}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "building vardval" >&2
(cd "$root" && go build -o "$tmp/vardval" ./cmd/vardval)
if [ ! -d "$here/node_modules/@duckdb/node-api" ]; then
	echo "installing @duckdb/node-api" >&2
	(cd "$here" && npm install --no-audit --no-fund >&2)
fi

period=
if [ -n "$year" ]; then
	period="--period $year"
fi
programs="duckdb vardval"
if [ "$pandas" != 0 ]; then
	programs="duckdb pandas vardval"
fi

echo "load: $(uptime)"
printf '%-8s %3s %10s %12s\n' program run "wall s" "peak MiB"
i=1
while [ "$i" -le "$runs" ]; do
	# shellcheck disable=SC2086 # $year and $period are empty or words
	/usr/bin/time -f "%e %M" -o "$tmp/duckdb.$i" node "$here/duckdb_capitation.mjs" "$dir" $year >"$tmp/duckdb.csv"
	if [ "$pandas" != 0 ]; then
		# shellcheck disable=SC2086
		/usr/bin/time -f "%e %M" -o "$tmp/pandas.$i" "$python" "$here/pandas_core.py" "$dir" $year >"$tmp/pandas.csv"
	fi
	# shellcheck disable=SC2086
	/usr/bin/time -f "%e %M" -o "$tmp/vardval.$i" "$tmp/vardval" run --model skane-2023 --data "$dir" $period --format json --out "$tmp/vardval.json"
	for p in $programs; do
		awk -v p="$p" -v i="$i" '{printf "%-8s %3d %10.2f %12.0f\n", p, i, $1, $2 / 1024}' "$tmp/$p.$i"
	done
	i=$((i + 1))
done
echo "load: $(uptime)"
if [ "$pandas" != 0 ]; then
	if cmp -s "$tmp/duckdb.csv" "$tmp/pandas.csv"; then
		echo "peers    DuckDB and pandas agree unit by unit"
	else
		echo "peers    DuckDB and pandas DIFFER (diff $tmp/duckdb.csv $tmp/pandas.csv)"
	fi
fi

median() { # program column
	for f in "$tmp/$1".[0-9]*; do awk -v c="$2" '{print $c}' "$f"; done | sort -g |
		awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}
dt=$(median duckdb 1)
vt=$(median vardval 1)
vm=$(median vardval 2)
pt=0
if [ "$pandas" != 0 ]; then
	pt=$(median pandas 1)
fi
awk -v dt="$dt" -v pt="$pt" -v vt="$vt" -v vm="$vm" 'BEGIN {
	printf "median   DuckDB %.2f s, pandas %.2f s, vardval %.2f s %.0f MiB\n", dt, pt, vt, vm / 1024
	printf "ratio    DuckDB/vardval %.2fx, pandas/vardval %.1fx\n", dt / vt, pt / vt
	ok = (dt / vt >= 1.5) && (pt == 0 || pt / vt >= 8) && (vm < 1024 * 1024)
	printf "issue 21 vardval >= 1.5x DuckDB, >= 8x pandas, < 1 GiB peak: %s\n", ok ? "yes" : "NO"
	exit ok ? 0 : 1
}'
