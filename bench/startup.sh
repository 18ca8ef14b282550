#!/usr/bin/env bash
# Start-up benchmark (SPEC §12: gateway status --json <= 2x a bare java -version; gateway run to
# /readyz 200 <= 1.5 s): builds the launcher jar and its class-data-sharing archive the way an
# operator's first bin/switchboard does, builds gateway-bench, then runs
# dev.switchboard.bench.StartupBench against bin/switchboard with java -version as the floor.
#
#   bench/startup.sh [--runs N] [--warmup N] [--launcher "cmd ..."] [--json out.json]
set -euo pipefail
root="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bin/switchboard --version >/dev/null
./mvnw -B -q -DskipTests -Dspotless.check.skip=true package -pl gateway-bench -am >&2
cp="$root/gateway-bench/target/classes:$(cat "$root/gateway-bench/target/classpath.txt")"
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" ${BENCH_CLIENT_JAVA_OPTS:-} -cp "$cp" dev.switchboard.bench.StartupBench \
  --launcher "$root/bin/switchboard" "$@"
