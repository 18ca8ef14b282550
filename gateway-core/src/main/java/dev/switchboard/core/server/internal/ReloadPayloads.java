package dev.switchboard.core.server.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.reload.ReloadOutcome;
import dev.switchboard.core.reload.ReloadPlan;
import dev.switchboard.protocol.FrameCodec;
import java.util.List;

/** The payloads of {@code config.plan}, {@code config.apply} and {@code secrets.reload}. */
public final class ReloadPayloads {
    private ReloadPayloads() {}

    /**
     * {@code {hash, mode, changes:[{path, kind}], hot:[], channel:[], restart:[], accounts:{restarted,
     * started, stopped, updated}, restartNeeded}}.
     */
    public static ObjectNode plan(ReloadPlan plan, String hash, String mode) {
        ObjectNode payload =
                FrameCodec.json().createObjectNode().put("hash", hash).put("mode", mode);
        ArrayNode changes = payload.putArray("changes");
        plan.changes().forEach(change -> changes.addObject()
                .put("path", change.path())
                .put("kind", change.kind().label()));
        for (dev.switchboard.spi.ReloadKind kind : dev.switchboard.spi.ReloadKind.values()) {
            strings(payload.putArray(kind.label()), plan.paths(kind));
        }
        ObjectNode accounts = payload.putObject("accounts");
        strings(accounts.putArray("restarted"), plan.restarted());
        strings(accounts.putArray("started"), plan.started());
        strings(accounts.putArray("stopped"), plan.stopped());
        strings(accounts.putArray("updated"), plan.updated());
        payload.put("restartNeeded", plan.needsRestart());
        return payload;
    }

    /** The plan, plus {@code action}, {@code message} and {@code degraded {account: reason}}. */
    public static ObjectNode outcome(ReloadOutcome outcome, String mode) {
        ObjectNode payload = plan(outcome.plan(), outcome.hash(), mode);
        payload.put("action", outcome.action().wireName()).put("message", outcome.message());
        ObjectNode degraded = payload.putObject("degraded");
        outcome.degraded().forEach(degraded::put);
        return payload;
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
