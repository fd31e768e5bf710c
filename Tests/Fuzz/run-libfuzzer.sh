#!/usr/bin/env bash
# Builds the state-file importer with libFuzzer and AddressSanitizer and runs it.
#
#   Tests/Fuzz/run-libfuzzer.sh [libFuzzer options]
#
# With no options it runs for 600 seconds on every core but one. Options are
# passed to libFuzzer, such as -max_total_time=3600 or -runs=1000000. The
# build, the growing corpus and any crashing inputs go to $FUZZ_DIR
# (default /tmp/praas-db-fuzz); a crash is saved there as crash-<sha1>.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="${FUZZ_DIR:-/tmp/praas-db-fuzz}"
mkdir -p "$work/build" "$work/corpus" "$work/artifacts"

flags=(-sanitize=fuzzer,address -O -g -parse-as-library -swift-version 6 -use-ld=lld)

# Suggestions is a module of its own, imported by the decoder.
swiftc "${flags[@]}" -module-name Suggestions -emit-module -emit-module-path "$work/build/Suggestions.swiftmodule" \
    -emit-object -o "$work/build/Suggestions.o" -wmo "$root"/Sources/Suggestions/*.swift

# The decoder and what it uses, without the files that need SQLite.
sources=(
    "$root"/Sources/PraaSDB/StateFile/*.swift
    "$root"/Sources/PraaSDB/Model/*.swift
    "$root"/Sources/PraaSDB/Progress/*.swift
    "$root"/Sources/PraaSDB/JSON/JSONReader.swift
    "$root"/Sources/PraaSDB/JSON/JSONValue.swift
    "$root"/Sources/PraaSDB/JSON/JSONWriter.swift
    "$root"/Tests/Fuzz/StateFileFuzzer.swift
)
swiftc "${flags[@]}" -module-name PraaSDBFuzz -I "$work/build" "${sources[@]}" "$work/build/Suggestions.o" \
    -o "$work/build/state-file-fuzzer"

# Seeds: the built-in topology, valid files of the tests, and the invalid corpus.
cp "$root/Topologies/oslo-80.json" "$root"/Tests/Corpus/state-files/*.json "$work/corpus/"

if [ "$#" -eq 0 ]; then
    jobs=$(( $(nproc) > 1 ? $(nproc) - 1 : 1 ))
    set -- -max_total_time=600 -jobs="$jobs" -workers="$jobs"
fi
cd "$work"
# Swift's own crash handler reads the stack of a failing input, which AddressSanitizer reports as a second error.
export SWIFT_BACKTRACE=enable=no
exec "$work/build/state-file-fuzzer" -dict="$root/Tests/Fuzz/state-file.dict" -max_len=65536 -timeout=10 \
    -artifact_prefix="$work/artifacts/" "$@" "$work/corpus"
