package dev.switchboard.core.cluster.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.channel.internal.AccountLease;
import dev.switchboard.core.channel.internal.AccountOwnership;
import dev.switchboard.core.store.internal.Fence;
import dev.switchboard.core.store.internal.LeaseRepository;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica's part in the cluster (docs/cluster.md): every second it writes its membership
 * heartbeat, renews the leases it holds, gives up the accounts another live replica should own
 * (rendezvous hashing over the live members) after closing their adapters, and takes the free
 * accounts it should own. An account's adapter runs only while this replica holds its lease.
 *
 * <p>A lease is held locally until {@code renewal sent + ttl - margin} on the monotonic clock, which
 * keeps running while the process is paused; a separate thread stops the accounts whose local lease
 * lapsed (no renewal got through: the database is down, or the process was stopped), always before
 * the database's expiry lets another replica take them. Writes for the account carry the lease's
 * fencing token, so whatever a stalled thread still tries after that matches nothing.
 */
public final class LeaseKeeper implements AccountOwnership, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);
    private static final Duration TICK = Duration.ofSeconds(1);
    private static final Duration EXPIRY_CHECK = Duration.ofMillis(100);

    /**
     * How this replica takes part.
     *
     * @param replicaId unique among the replicas ({@code gateway.cluster.replica_id})
     * @param ttl how long a lease and a membership heartbeat last without renewal
     */
    public record Settings(String replicaId, Duration ttl) {
        public Settings {
            requireNonNull(replicaId, "replicaId is null");
            requireNonNull(ttl, "ttl is null");
        }

        /** Leases are renewed this often: two renewals may fail before one lapses. */
        Duration renewEvery() {
            return ttl.dividedBy(3);
        }

        /** Taken off the local hold, for clock-rate differences and the renewal's own latency. */
        Duration margin() {
            return ttl.dividedBy(10);
        }
    }

    /** The gateway's accounts, as the keeper starts and stops them. */
    public interface Accounts {
        /** Every account the configuration runs (the same on every replica). */
        List<AccountKey> configured();

        /** Starts the account's adapter under {@code lease}; returns at once. */
        void start(AccountKey key, AccountLease lease);

        /** Stops the accounts' adapters; returns once they are closed. */
        void stop(List<AccountKey> keys);

        /** The account was just taken: answer what it left unanswered, send what it left pending. */
        void acquired(AccountKey key);

        /** Once a second: pick up work of the held accounts that no lane holds (other replicas' writes). */
        void sweep();
    }

    /** A lease this replica holds. */
    private static final class Held {
        final Fence fence;
        /** {@link System#nanoTime()} until which the lease is held here. */
        volatile long validUntil;

        volatile long renewedAt;

        Held(Fence fence, long validUntil, long renewedAt) {
            this.fence = fence;
            this.validUntil = validUntil;
            this.renewedAt = renewedAt;
        }

        boolean valid() {
            return System.nanoTime() - validUntil < 0;
        }
    }

    private final LeaseRepository repository;
    private final Settings settings;
    private volatile Accounts accounts = NONE;
    /** Where the other replicas reach this one's control protocol; known once the port is bound. */
    private volatile String url = "";

    private final Map<AccountKey, Held> held = new ConcurrentHashMap<>();
    /** Guards starting and stopping accounts (the ticker and the expiry thread both do). */
    private final Object lifecycle = new Object();

    private final ScheduledExecutorService ticker = daemon("cluster-leases");
    private final ScheduledExecutorService expiry = daemon("cluster-lease-expiry");
    private volatile ClusterView view;
    private volatile boolean closing;
    private @Nullable String lastFailure; // ticker thread only

    /** Holds nothing until {@link #start}: the reply loop may ask about ownership before. */
    public LeaseKeeper(LeaseRepository repository, Settings settings) {
        this.repository = requireNonNull(repository, "repository is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.view = ClusterView.empty(settings.replicaId());
    }

    /**
     * Starts ticking (the first tick at once, in the background).
     *
     * @param url where the other replicas reach this one's control protocol
     * @param accounts the accounts to run under the leases taken
     */
    public LeaseKeeper start(String url, Accounts accounts) {
        this.url = requireNonNull(url, "url is null");
        this.accounts = requireNonNull(accounts, "accounts is null");
        var unusedTicks = ticker.scheduleWithFixedDelay(this::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
        var unusedChecks = expiry.scheduleWithFixedDelay(
                this::stopLapsed, EXPIRY_CHECK.toMillis(), EXPIRY_CHECK.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    public String replicaId() {
        return settings.replicaId();
    }

    /** The cluster as the last tick read it. */
    public ClusterView view() {
        return view;
    }

    /** The cluster as the database has it now (blocks); the last tick's view when it cannot be read. */
    public ClusterView readView() {
        try {
            LeaseRepository.Members members = repository.members();
            return new ClusterView(
                    settings.replicaId(), members.all(), repository.leases(), members.dbNow(), Optional.empty());
        } catch (RuntimeException e) {
            return view;
        }
    }

    @Override
    public boolean owns(String channel, String account) {
        Held lease = held.get(new AccountKey(channel, account));
        return lease != null && lease.valid();
    }

    @Override
    public Optional<Fence> fence(String channel, String account) {
        Held lease = held.get(new AccountKey(channel, account));
        return lease != null && lease.valid() ? Optional.of(lease.fence) : Optional.empty();
    }

    // ---------------------------------------------------------------------------------- the tick

    private void tick() {
        if (closing) {
            return;
        }
        try {
            long sent = System.nanoTime();
            LeaseRepository.Members members = repository.heartbeat(settings.replicaId(), url, settings.ttl());
            List<String> live = members.live().stream()
                    .map(LeaseRepository.Member::replicaId)
                    .toList();
            Set<AccountKey> configured = new HashSet<>(accounts.configured());
            // renewals first: a takeover below may wait on another replica's row locks
            for (Map.Entry<AccountKey, Held> entry : List.copyOf(held.entrySet())) {
                AccountKey key = entry.getKey();
                String desired = configured.contains(key)
                        ? Rendezvous.owner(live, key).orElse(settings.replicaId())
                        : "nobody (no longer configured)";
                step(key, () -> {
                    if (desired.equals(settings.replicaId())) {
                        renewIfDue(key, entry.getValue(), sent);
                    } else {
                        handOver(key, entry.getValue(), desired);
                    }
                });
            }
            for (AccountKey key : configured) {
                if (closing) {
                    return;
                }
                if (!held.containsKey(key)
                        && Rendezvous.owner(live, key).orElse("").equals(settings.replicaId())) {
                    step(key, () -> tryAcquire(key, sent));
                }
            }
            view = new ClusterView(
                    settings.replicaId(), members.all(), repository.leases(), members.dbNow(), Optional.empty());
            if (lastFailure != null) {
                log.info("cluster: the database answers again");
                lastFailure = null;
            }
            accounts.sweep();
        } catch (RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            view = view.failed(why);
            if (!why.equals(lastFailure)) {
                log.warn("cluster: heartbeat or lease renewal failed: {} (held leases lapse on their own)", why);
                lastFailure = why;
            }
        }
    }

    /** One account's part of a tick: its failure is logged, and the other accounts go on. */
    private static void step(AccountKey key, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            log.warn("cluster: {}: {}", key.name(), e.getMessage());
        }
    }

    private void renewIfDue(AccountKey key, Held lease, long sent) {
        if (sent - lease.renewedAt < settings.renewEvery().toNanos()) {
            return;
        }
        if (repository.renew(key.channel(), key.account(), lease.fence, settings.ttl())) {
            lease.renewedAt = sent;
            lease.validUntil = sent + settings.ttl().minus(settings.margin()).toNanos();
            return;
        }
        synchronized (lifecycle) {
            if (held.remove(key, lease)) {
                log.warn("cluster: lease on {} was taken by another replica; stopping it here", key.name());
                accounts.stop(List.of(key));
            }
        }
    }

    private void tryAcquire(AccountKey key, long sent) {
        OptionalLong token = repository.acquire(key.channel(), key.account(), settings.replicaId(), settings.ttl());
        if (token.isEmpty()) {
            return; // held elsewhere until it expires or is handed over
        }
        Held lease = new Held(
                new Fence(settings.replicaId(), token.getAsLong()),
                sent + settings.ttl().minus(settings.margin()).toNanos(),
                sent);
        synchronized (lifecycle) {
            if (closing) {
                repository.release(key.channel(), key.account(), lease.fence);
                return;
            }
            held.put(key, lease);
            log.info("cluster: took {} (fencing token {})", key.name(), token.getAsLong());
            accounts.start(key, new AccountLease(Optional.of(lease.fence), lease::valid));
        }
        accounts.acquired(key);
    }

    /** Another replica should own the account: close its adapter here first, then release the lease. */
    private void handOver(AccountKey key, Held lease, String to) {
        synchronized (lifecycle) {
            if (!held.remove(key, lease)) {
                return;
            }
            accounts.stop(List.of(key));
        }
        repository.release(key.channel(), key.account(), lease.fence);
        log.info("cluster: handed {} over to {}", key.name(), to);
    }

    // ---------------------------------------------------------------------------------- lapses

    /** Stops the accounts whose local hold ran out before a renewal got through. */
    private void stopLapsed() {
        List<AccountKey> lapsed = new ArrayList<>();
        synchronized (lifecycle) {
            held.forEach((key, lease) -> {
                if (!lease.valid()) {
                    lapsed.add(key);
                }
            });
            lapsed.forEach(held::remove);
            if (!lapsed.isEmpty()) {
                log.warn(
                        "cluster: lease on {} lapsed without renewal; stopping here (taken again once renewals"
                                + " get through and no other replica has it)",
                        lapsed.stream().map(AccountKey::name).toList());
                accounts.stop(lapsed);
            }
        }
    }

    // ---------------------------------------------------------------------------------- leaving

    /**
     * Hands every account over: stops ticking, closes the held accounts' adapters, releases their
     * leases and removes this replica's membership row, so the survivors take the accounts at their
     * next tick instead of after the TTL. Database failures are logged; the leases then expire.
     */
    @Override
    public void close() {
        closing = true;
        ticker.shutdown();
        expiry.shutdown();
        try {
            ticker.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Map<AccountKey, Held> leaving;
        synchronized (lifecycle) {
            leaving = Map.copyOf(held);
            held.clear();
            accounts.stop(List.copyOf(leaving.keySet()));
        }
        try {
            leaving.forEach((key, lease) -> repository.release(key.channel(), key.account(), lease.fence));
            repository.leave(settings.replicaId());
            log.info("cluster: released {} account(s) and left", leaving.size());
        } catch (RuntimeException e) {
            log.warn(
                    "cluster: could not release the leases ({}); they expire after {} s",
                    e.getMessage(),
                    settings.ttl().toSeconds());
        }
    }

    private static final Accounts NONE = new Accounts() {
        @Override
        public List<AccountKey> configured() {
            return List.of();
        }

        @Override
        public void start(AccountKey key, AccountLease lease) {}

        @Override
        public void stop(List<AccountKey> keys) {}

        @Override
        public void acquired(AccountKey key) {}

        @Override
        public void sweep() {}
    };

    private static ScheduledExecutorService daemon(String name) {
        return Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
    }
}
