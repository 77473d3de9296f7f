#!/usr/bin/env bash
# librdkafka 2.8.0 (static libraries and headers), built from Debian 13's source package into
# $PARKLINE_HOME/librdkafka-2.8.0 (default .parkline/), once; cmake/Dependencies.cmake links it
# when it is there and Debian 12's librdkafka 2.0.2 otherwise. Why: librdkafka before 2.6.1
# repeats its own nonce in SCRAM's client-final message (librdkafka#4895) and Kafka 4 compares the
# nonce exactly (RFC 5802), so a SCRAM-SHA-512 login from 2.0.2 is always refused as "invalid
# credentials" (docs/security.md). Static, so that the services, the tests and the container image
# carry it and need no library path.
#
# The source comes through apt from the machine's own Debian archive (the URI of its sources
# list), with a configuration of its own: nothing is added to the machine's apt sources and
# nothing is installed. Features: TLS, SASL PLAIN and SCRAM (built in), zlib, lz4 (its own copy);
# no zstd, GSSAPI or OIDC (nothing here uses them). About 6 minutes on 2 busy cores.
#
#   tools/kafka/librdkafka.sh     build it unless it is there; prints its folder
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
home=${PARKLINE_HOME:-$repo/.parkline}
version=2.8.0
suite=trixie
prefix=$home/librdkafka-$version
say() { echo "librdkafka: $*" >&2; }

if [ -f "$prefix/.complete" ]; then echo "$prefix"; exit 0; fi

archive=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
[ -n "$archive" ] || archive=$(awk '$1 == "deb" && $2 !~ /security/ { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)
[ -n "$archive" ] || { say "no Debian archive in the machine's apt sources"; exit 1; }

work=$home/librdkafka-build
rm -rf "$work" "$prefix"
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/src"
echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $archive $suite main" >"$work/sources.list"
apt=(-o "Dir::Etc::SourceList=$work/sources.list" -o Dir::Etc::SourceParts=/dev/null
  -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache")
say "fetching Debian's source package librdkafka $version ($suite) and building it into $prefix"
apt-get "${apt[@]}" update -qq
# apt checks the files against the signed source index. As root it warns that it runs unsandboxed.
(cd "$work/src" && apt-get "${apt[@]}" source --download-only -qq "librdkafka=$version-1" 2>/dev/null)
tar -xzf "$work/src/librdkafka_$version.orig.tar.gz" -C "$work"
cd "$work/librdkafka-$version"
if ! { ./configure --prefix="$prefix" --disable-zstd --disable-gssapi --disable-curl \
  --disable-lz4-ext && make -j"$(nproc)" libs && make install; } >"$work/build.log" 2>&1; then
  tail -n 30 "$work/build.log" >&2
  say "build failed; see $work/build.log"
  exit 1
fi
touch "$prefix/.complete"
rm -rf "$work"
echo "$prefix"
