#!/usr/bin/env bash
# OpenAI-compatible API benchmark: builds gateway-bench and what it needs, then runs
# dev.switchboard.bench.OpenAiBench (POST /v1/chat/completions requests/s with the echo agent, whole
# and streamed, beside GET /healthz on the same gateway). The gateway runs in a child JVM with the
# JDK defaults; pass --gateway-jvm-opts "..." to change that.
#
#   bench/openai.sh [--seconds N] [--warmup-seconds N] [--clients N] [--json out.json]
set -euo pipefail
root="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
./mvnw -B -q -DskipTests -Dspotless.check.skip=true package -pl gateway-bench -am >&2
cp="$root/gateway-bench/target/classes:$(cat "$root/gateway-bench/target/classpath.txt")"
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" ${BENCH_CLIENT_JAVA_OPTS:-} -cp "$cp" dev.switchboard.bench.OpenAiBench "$@"
