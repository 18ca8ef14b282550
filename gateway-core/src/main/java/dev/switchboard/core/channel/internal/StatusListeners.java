package dev.switchboard.core.channel.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.channel.AccountStatus;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands every account state change to each listener (the log, {@code owner.json}, protocol clients,
 * an embedder), in the order they were added. A listener that throws is logged and skipped: a
 * status observer never breaks an account's lifecycle thread. Add listeners before the accounts
 * start to hear every change.
 */
public final class StatusListeners implements Consumer<AccountStatus> {
    private static final Logger log = LoggerFactory.getLogger(StatusListeners.class);

    private final List<Consumer<AccountStatus>> listeners = new CopyOnWriteArrayList<>();

    public StatusListeners add(Consumer<AccountStatus> listener) {
        listeners.add(requireNonNull(listener, "listener is null"));
        return this;
    }

    @Override
    public void accept(AccountStatus status) {
        for (Consumer<AccountStatus> listener : listeners) {
            try {
                listener.accept(status);
            } catch (RuntimeException e) {
                log.warn(
                        "a listener of {}.{}'s state failed: {}", status.channelId(), status.accountId(), e.toString());
            }
        }
    }
}
