package dev.switchboard.cli;

import dev.switchboard.cli.channels.ChannelsStatusReport;
import dev.switchboard.cli.status.StatusReport;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.protocol.ChannelsStatus;
import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.Status;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * The quick paths of a plain {@code status [--json]} and {@code channels status [--json]}: the local
 * owner over a {@link QuickSession}, the same calls as the full commands ({@code status} and {@code
 * channels.status}), printed by {@link StatusReport} and {@link ChannelsStatusReport} as they print
 * them. Anything but plain answers from the local owner is empty, having printed nothing, so the full
 * command runs and reports it.
 */
final class QuickStatus {
    private QuickStatus() {}

    static OptionalInt status(
            GlobalOptions globals, CliEnvironment env, Supplier<ChannelRegistry> registry, boolean json) {
        Optional<QuickSession> opened = QuickSession.local(globals, env, registry);
        if (opened.isEmpty()) {
            return OptionalInt.empty();
        }
        StatusReport report;
        try (QuickSession session = opened.get()) {
            List<Optional<Map<?, ?>>> answers =
                    session.calls(List.of(Methods.STATUS, Methods.CHANNELS_STATUS), List.of(Map.of(), Map.of()));
            if (answers.get(0).isEmpty() || answers.get(1).isEmpty()) {
                return OptionalInt.empty(); // the full command reports the gateway's error
            }
            report = new StatusReport(
                    Status.fromPlain(answers.get(0).get()),
                    ChannelsStatus.fromPlain(answers.get(1).get()).channels());
        } catch (IOException | IllegalArgumentException e) {
            return OptionalInt.empty(); // the full command says what went wrong
        }
        report.print(env.out(), json, opened.get().target(), env.clock().instant());
        return OptionalInt.of(ExitCodes.OK);
    }

    static OptionalInt channels(
            GlobalOptions globals, CliEnvironment env, Supplier<ChannelRegistry> registry, boolean json) {
        Optional<QuickSession> opened = QuickSession.local(globals, env, registry);
        if (opened.isEmpty()) {
            return OptionalInt.empty();
        }
        ChannelsStatus payload;
        try (QuickSession session = opened.get()) {
            Optional<Map<?, ?>> answer = session.call(Methods.CHANNELS_STATUS, Map.of("probe", false));
            if (answer.isEmpty()) {
                return OptionalInt.empty();
            }
            payload = ChannelsStatus.fromPlain(answer.get());
        } catch (IOException | IllegalArgumentException e) {
            return OptionalInt.empty();
        }
        ChannelsStatusReport.print(
                env.out(),
                json,
                payload,
                false,
                opened.get().target(),
                globals.stateFlags(),
                env.clock().instant());
        return OptionalInt.of(ExitCodes.OK);
    }
}
