package dev.switchboard.core.channel.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.channel.AccountStatus;
import dev.switchboard.spi.InboundSink;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiPredicate;
import org.jspecify.annotations.Nullable;

/**
 * All account supervisors of one gateway: started together, closed together (in parallel). A reload
 * adds and removes accounts while the others run.
 */
public final class ChannelSupervisor implements AutoCloseable {
    private final List<AccountSupervisor> accounts;
    private volatile @Nullable InboundSink inbound;

    public ChannelSupervisor(List<AccountSupervisor> accounts) {
        this.accounts = new CopyOnWriteArrayList<>(requireNonNull(accounts, "accounts is null"));
    }

    /** Starts every account in the background, their allowed messages going to {@code inbound}. */
    public void start(InboundSink inbound) {
        this.inbound = requireNonNull(inbound, "inbound is null");
        accounts.forEach(account -> account.start(inbound));
    }

    /** Starts an account a reload added, alongside the running ones. */
    public void add(AccountSupervisor account) {
        requireNonNull(account, "account is null");
        accounts.add(account);
        account.start(requireNonNull(inbound, "added before start(inbound)"));
    }

    /** Stops an account a reload removed; returns once its adapter is closed (bounded). */
    public void remove(String channelId, String accountId) {
        find(channelId, accountId).ifPresent(account -> {
            accounts.remove(account);
            account.close();
        });
    }

    /**
     * Stops the accounts {@code which} picks, in parallel; returns once their adapters are closed
     * (each bounded). A cluster replica that lost or handed over leases does this.
     */
    public void removeIf(BiPredicate<String, String> which) {
        requireNonNull(which, "which is null");
        List<AccountSupervisor> removed = accounts.stream()
                .filter(a -> which.test(a.channelId(), a.accountId()))
                .toList();
        accounts.removeAll(removed);
        removed.forEach(AccountSupervisor::beginClose);
        removed.forEach(AccountSupervisor::awaitClosed);
    }

    public List<AccountStatus> statuses() {
        return accounts.stream().map(AccountSupervisor::status).toList();
    }

    /** The accounts running now. */
    public List<AccountSupervisor> accounts() {
        return List.copyOf(accounts);
    }

    /** The supervisor of one account, when this gateway runs it. */
    public Optional<AccountSupervisor> find(String channelId, String accountId) {
        return accounts.stream()
                .filter(a -> a.channelId().equals(channelId) && a.accountId().equals(accountId))
                .findFirst();
    }

    /** Shows the typing indicator through the account's running adapter; nothing while none runs. */
    public void typing(String channelId, String accountId, String conversationId, Optional<String> threadId) {
        find(channelId, accountId).ifPresent(account -> account.typing(conversationId, threadId));
    }

    /**
     * The accounts not ready yet (SPEC §5.2 {@code /readyz}): ready means connected, degraded with a
     * reason, or pausing briefly as its platform asked (a wait of at most {@link
     * AccountStatus#STALL_AFTER}); the rest as {@code channel.account (state)}, and a stalled receive
     * loop as {@code channel.account (stalled: receiving resumes at <instant>: <reason>)}.
     */
    public List<String> notReady() {
        return statuses().stream()
                .filter(status -> !status.ready())
                .map(AccountStatus::whyNotReady)
                .toList();
    }

    /** Closes every account; they close in parallel, each bounded by its own timeout. */
    @Override
    public void close() {
        accounts.forEach(AccountSupervisor::beginClose);
        accounts.forEach(AccountSupervisor::awaitClosed);
    }
}
