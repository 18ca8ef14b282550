#!/usr/bin/env bash
# Config-reload benchmark (SPEC §12: a config change applied <= 500 ms after the file is written):
# builds gateway-bench and what it needs, then runs dev.switchboard.bench.ReloadBench: a gateway in
# a child JVM (JDK defaults, as bin/switchboard gateway run) watching its config file in a temp dir
# of java.io.tmpdir, one Telegram account on the fake Bot API in this JVM, a control client waiting
# for config.changed after each save; the JDK WatchService + the 300 ms debounce as the floor.
#
#   bench/reload.sh [--edits N] [--warmup N] [--restarts N] [--gateway-jvm-opts "..."] [--json out.json]
set -euo pipefail
root="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
./mvnw -B -q -DskipTests -Dspotless.check.skip=true package -pl gateway-bench -am >&2
cp="$root/gateway-bench/target/classes:$(cat "$root/gateway-bench/target/classpath.txt")"
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" ${BENCH_CLIENT_JAVA_OPTS:-} -cp "$cp" dev.switchboard.bench.ReloadBench "$@"
