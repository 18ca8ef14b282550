package dev.switchboard.core.cluster.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.channel.internal.AccountLease;
import dev.switchboard.core.channel.internal.AccountSupervisor;
import dev.switchboard.core.channel.internal.ChannelSupervisor;
import dev.switchboard.core.config.AccountConfig;
import dev.switchboard.core.routing.internal.ReplyRouting;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * A replica's accounts as the {@link LeaseKeeper} runs them: an account's supervisor is created when
 * its lease is taken and closed when it is lost or handed over; the reply loop then answers what
 * the previous owner left.
 */
public final class ClusterChannels implements LeaseKeeper.Accounts {
    /** How often the held accounts are searched for messages no replica is answering. */
    private static final Duration SWEEP_EVERY = Duration.ofSeconds(15);
    /**
     * A message unanswered this long is taken as abandoned (its turn failed at the store, or its
     * replica died): long enough for a slow agent turn still running elsewhere to finish.
     */
    private static final Duration ABANDONED_AFTER = Duration.ofSeconds(30);

    /**
     * At a takeover, messages accepted this recently are left to the replica that accepted them (a
     * graceful handover lets its running turns finish); a sweep answers them if it does not.
     */
    private static final Duration IN_FLIGHT = Duration.ofSeconds(5);

    private final Supplier<List<AccountConfig>> configured;
    private final BiFunction<AccountConfig, AccountLease, AccountSupervisor> supervisors;
    private final ChannelSupervisor channels;
    private final Optional<ReplyRouting> routing;
    private final Clock clock;
    private long lastSweep = System.nanoTime(); // the keeper's thread only

    /**
     * @param configured the accounts the configuration runs now
     * @param supervisors makes an account's supervisor under a lease
     * @param routing the reply loop, when the gateway has one
     */
    public ClusterChannels(
            Supplier<List<AccountConfig>> configured,
            BiFunction<AccountConfig, AccountLease, AccountSupervisor> supervisors,
            ChannelSupervisor channels,
            Optional<ReplyRouting> routing,
            Clock clock) {
        this.configured = requireNonNull(configured, "configured is null");
        this.supervisors = requireNonNull(supervisors, "supervisors is null");
        this.channels = requireNonNull(channels, "channels is null");
        this.routing = requireNonNull(routing, "routing is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public List<AccountKey> configured() {
        return configured.get().stream()
                .map(a -> new AccountKey(a.channelId(), a.accountId()))
                .toList();
    }

    @Override
    public void start(AccountKey key, AccountLease lease) {
        configured.get().stream()
                .filter(a ->
                        a.channelId().equals(key.channel()) && a.accountId().equals(key.account()))
                .findFirst()
                .ifPresent(account -> channels.add(supervisors.apply(account, lease)));
    }

    @Override
    public void stop(List<AccountKey> keys) {
        Set<AccountKey> stopping = new HashSet<>(keys);
        channels.removeIf((channel, account) -> stopping.contains(new AccountKey(channel, account)));
    }

    @Override
    public void acquired(AccountKey key) {
        routing.ifPresent(
                r -> r.recover(key.channel(), key.account(), clock.instant().minus(IN_FLIGHT)));
    }

    @Override
    public void sweep() {
        long now = System.nanoTime();
        if (routing.isEmpty() || now - lastSweep < SWEEP_EVERY.toNanos()) {
            return;
        }
        lastSweep = now;
        for (AccountSupervisor account : channels.accounts()) {
            routing.get()
                    .recover(
                            account.channelId(),
                            account.accountId(),
                            clock.instant().minus(ABANDONED_AFTER));
        }
    }
}
