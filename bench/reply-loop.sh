#!/usr/bin/env bash
# Reply-loop benchmark (SPEC §12): builds gateway-bench and what it needs, then runs
# dev.switchboard.bench.ReplyLoopBench: a gateway in a child JVM (JDK defaults, as
# bin/switchboard gateway run) with one Telegram account on the fake Bot API in this JVM, the echo
# agent and the SQLite store in java.io.tmpdir.
#
#   bench/reply-loop.sh [--messages N] [--rate R] [--seconds S] [--chats C] [--store sqlite|postgresql] [--json out.json]
#
# --store postgresql runs the store on a private PostgreSQL server the bench starts from Debian's
# postgresql package (fsync off, like SQLite's WAL with synchronous=NORMAL it does not sync each commit).
set -euo pipefail
root="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
./mvnw -B -q -DskipTests -Dspotless.check.skip=true package -pl gateway-bench -am >&2
cp="$root/gateway-bench/target/classes:$(cat "$root/gateway-bench/target/classpath.txt")"
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" ${BENCH_CLIENT_JAVA_OPTS:-} -cp "$cp" dev.switchboard.bench.ReplyLoopBench "$@"
