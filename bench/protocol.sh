#!/usr/bin/env bash
# Control-protocol benchmark (SPEC §12): builds gateway-bench and what it needs, then runs
# dev.switchboard.bench.ProtocolBench. The gateway runs in a child JVM with the JDK defaults
# (what bin/switchboard gateway run gets); pass --gateway-jvm-opts "..." to change that.
#
#   bench/protocol.sh [--seconds N] [--connects N] [--idle-sockets N] [--histogram] [--json out.json]
#
# Needs ulimit -n above the idle socket count (client and gateway are separate processes), and for
# the gateway above 4/3 of it: its connection cap keeps a quarter of the file limit free.
set -euo pipefail
root="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
./mvnw -B -q -DskipTests -Dspotless.check.skip=true package -pl gateway-bench -am >&2
cp="$root/gateway-bench/target/classes:$(cat "$root/gateway-bench/target/classpath.txt")"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" ${BENCH_CLIENT_JAVA_OPTS:-} -cp "$cp" dev.switchboard.bench.ProtocolBench "$@"
