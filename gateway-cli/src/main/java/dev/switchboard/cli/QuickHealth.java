package dev.switchboard.cli;

import dev.switchboard.cli.status.HealthReport;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.protocol.Health;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * The quick path of a plain {@code health [--json]}: the local owner over a {@link QuickSession}, its
 * health taken from {@code hello-ok}'s snapshot (the {@code health(probe:false)} the full command
 * asks for, as of the connect) and printed by {@link HealthReport} as the full command prints it.
 * Anything but a plain answer from the local owner — remote mode, a config that does not load, no
 * owner, a refused credential, another instance, no health in the snapshot, a timeout, an unexpected
 * frame — is empty, having printed nothing, so the full command runs and reports it as ever.
 */
final class QuickHealth {
    private QuickHealth() {}

    static OptionalInt run(
            GlobalOptions globals, CliEnvironment env, Supplier<ChannelRegistry> registry, boolean json) {
        Optional<QuickSession> opened = QuickSession.local(globals, env, registry);
        if (opened.isEmpty()) {
            return OptionalInt.empty();
        }
        Optional<Map<?, ?>> payload;
        try (QuickSession session = opened.get()) {
            payload = snapshotHealth(session.hello());
        }
        if (payload.isEmpty()) {
            return OptionalInt.empty(); // a gateway that leaves it out is the full command's to ask
        }
        Health health;
        try {
            health = Health.fromPlain(payload.get());
        } catch (IllegalArgumentException e) {
            return OptionalInt.empty(); // the full command says what is wrong with the answer
        }
        return OptionalInt.of(HealthReport.print(
                env.out(), json, health.toPlain(), opened.get().target(), health));
    }

    private static Optional<Map<?, ?>> snapshotHealth(Map<?, ?> hello) {
        if (hello.get("snapshot") instanceof Map<?, ?> snapshot
                && snapshot.get("health") instanceof Map<?, ?> health
                && !health.isEmpty()) {
            return Optional.of(health);
        }
        return Optional.empty();
    }
}
