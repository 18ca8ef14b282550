#!/usr/bin/env bash
# Cluster failover benchmark (SPEC §12, docs/cluster.md): builds gateway-bench and what it needs,
# then runs dev.switchboard.bench.FailoverBench: two replicas in child JVMs on a private PostgreSQL
# server (Debian's postgresql package) and one Telegram account on the fake Bot API in this JVM.
# Each round SIGKILLs the account's owner and times the takeover and the first reply after it; a
# last round times a graceful stop's handover.
#
#   bench/failover.sh [--rounds N] [--ttl-ms T] [--json out.json]
set -euo pipefail
root="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
./mvnw -B -q -DskipTests -Dspotless.check.skip=true package -pl gateway-bench -am >&2
cp="$root/gateway-bench/target/classes:$(cat "$root/gateway-bench/target/classpath.txt")"
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" ${BENCH_CLIENT_JAVA_OPTS:-} -cp "$cp" dev.switchboard.bench.FailoverBench "$@"
