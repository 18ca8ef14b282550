#!/usr/bin/env bash
# The example channel as its author and an operator meet it (docs/writing-a-channel.md):
#   1. install Switchboard's artifacts into a local Maven repository of their own (third-party
#      libraries still come from ~/.m2, read-only);
#   2. build examples/relay-channel against only those artifacts: its TCK runs with default Surefire;
#   3. start its fake Relay, drop target/plugin/relay-channel into <state>/plugins/, check that
#      `channels list` shows it as a plugin, run `bin/switchboard gateway run --channel-account relay=main`
#      and check that a message written on the fake is answered through the plugin.
# Run from anywhere; CI runs it after ./mvnw -B verify. Leaves nothing behind but target/ dirs.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$(mktemp -d)"
fake_pid=""
gateway_pid=""

cleanup() {
  [ -n "$gateway_pid" ] && kill "$gateway_pid" 2>/dev/null || true
  [ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "run-example: $*" >&2
  for log in "$work"/*.out; do
    [ -f "$log" ] && { echo "--- $log" >&2; tail -n 40 "$log" >&2; }
  done
  exit 1
}

# wait_for <seconds> <what> <command...>: polls the command every 0.2 s
wait_for() {
  local seconds="$1" what="$2"
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || fail "$what: not within $seconds s"
    sleep 0.2
  done
}

repo="$work/m2"
maven_repo=(-Dmaven.repo.local="$repo" -Dmaven.repo.local.tail="$HOME/.m2/repository")

echo "run-example: installing Switchboard's artifacts into $repo"
(cd "$root" && ./mvnw -B -q install -DskipTests -Dspotless.check.skip=true "${maven_repo[@]}")

echo "run-example: building the example channel against them (its TCK runs)"
(cd "$here" && "$root/mvnw" -B verify "${maven_repo[@]}")
(cd "$here" && "$root/mvnw" -B -q dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$work/test-classpath.txt" "${maven_repo[@]}")

echo "run-example: starting the fake Relay"
java -cp "$here/target/test-classes:$(cat "$work/test-classpath.txt")" com.example.relay.FakeRelay relay-token \
  > "$work/fake.out" 2>&1 &
fake_pid=$!
wait_for 30 "the fake Relay announcing its URL" grep -q '^fake Relay at ' "$work/fake.out"
url="$(sed -n 's/^fake Relay at //p' "$work/fake.out")"

state="$work/state"
mkdir -p "$state/plugins"
cp -r "$here/target/plugin/relay-channel" "$state/plugins/"
cat > "$state/switchboard.conf" <<CONF
relay {
  accounts.main {
    base_url = "$url"
    token = { env = "RELAY_TOKEN" }
    allowed_chats = ["room-1"]
  }
}
CONF
export RELAY_TOKEN=relay-token
switchboard=("$root/bin/switchboard" --state-dir "$state")

"${switchboard[@]}" channels list > "$work/channels-list.out" 2>&1 || fail "channels list failed"
grep -E "^relay\b.*plugins/relay-channel" "$work/channels-list.out" >/dev/null \
  || fail "channels list does not show relay as a plugin from $state/plugins/relay-channel"
for builtin in feishu telegram wecom; do # the launcher's bundled channels, beside the plugin
  grep -E "^$builtin\b.*built-in" "$work/channels-list.out" >/dev/null \
    || fail "channels list does not show the built-in $builtin channel"
done

echo "run-example: running the gateway with the plugin"
"${switchboard[@]}" gateway run --port 0 --channel-account relay=main > "$work/gateway.out" 2>&1 &
gateway_pid=$!
wait_for 60 "the relay account connecting" grep -q 'channel relay\.main: connected' "$work/gateway.out"

curl -fsS -X POST "$url/_fake/say?chat=room-1&from=alice" --data 'hello through a plugin' > /dev/null
answered() { curl -fsS "$url/_fake/sent?chat=room-1" | grep -q 'hello through a plugin'; }
wait_for 30 "the echo reply at the fake Relay" answered

"${switchboard[@]}" gateway stop > "$work/stop.out" 2>&1 || fail "gateway stop failed"
wait "$gateway_pid" || true
gateway_pid=""
grep -q 'relay-token' "$work/gateway.out" && fail "the token appeared in the gateway's output"
echo "run-example: ok: the relay plugin answered through bin/switchboard"
