package dev.switchboard.core.metrics.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.channel.AccountStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The per-account message counters, read from the accounts' own counters ({@link AccountStatus}) at
 * each scrape: a reload adds and removes accounts, so each scrape first registers the accounts that
 * appeared and removes those that stopped. Nothing is counted on the message path.
 */
final class AccountMeters {
    private record Key(String channel, String account) {}

    private final MeterRegistry registry;
    private final Supplier<List<AccountStatus>> statuses;
    /** The snapshot the counters read; replaced by each {@link #refresh()}. */
    private final Map<Key, AccountStatus> latest = new ConcurrentHashMap<>();
    /** Guarded by the scrape's lock ({@link GatewayMetrics#scrape}). */
    private final Map<Key, List<Meter>> meters = new HashMap<>();

    AccountMeters(MeterRegistry registry, Supplier<List<AccountStatus>> statuses) {
        this.registry = requireNonNull(registry, "registry is null");
        this.statuses = requireNonNull(statuses, "statuses is null");
    }

    /** Takes a fresh snapshot of every running account; registers new ones' counters, removes gone ones'. */
    void refresh() {
        Map<Key, AccountStatus> now = new HashMap<>();
        for (AccountStatus status : statuses.get()) {
            now.put(new Key(status.channelId(), status.accountId()), status);
        }
        latest.putAll(now);
        for (Key key : now.keySet()) {
            meters.computeIfAbsent(key, this::register);
        }
        meters.entrySet().removeIf(entry -> {
            if (now.containsKey(entry.getKey())) {
                return false;
            }
            entry.getValue().forEach(registry::remove);
            latest.remove(entry.getKey());
            return true;
        });
    }

    private List<Meter> register(Key key) {
        return List.of(
                counter(key, "switchboard.messages.inbound", "platform messages accepted", AccountStatus::inbound),
                counter(
                        key,
                        "switchboard.messages.dropped",
                        "platform messages dropped unanswered (allowlist, or skipped by the channel)",
                        AccountStatus::dropped),
                counter(
                        key,
                        "switchboard.messages.outbound",
                        "messages delivered (the platform accepted the send)",
                        AccountStatus::outbound),
                counter(
                        key,
                        "switchboard.messages.failed",
                        "outbound messages that failed permanently",
                        AccountStatus::failed),
                counter(
                        key,
                        "switchboard.channel.restarts",
                        "restarts of the account by its supervisor",
                        AccountStatus::restarts));
    }

    private Meter counter(Key key, String name, String description, ToLongFunction<AccountStatus> value) {
        return FunctionCounter.builder(name, this, self -> self.read(key, value))
                .description(description)
                .tags("channel", key.channel(), "account", key.account())
                .register(registry);
    }

    private double read(Key key, ToLongFunction<AccountStatus> value) {
        AccountStatus status = latest.get(key);
        return status == null ? 0 : value.applyAsLong(status);
    }
}
