package dev.switchboard.core.channel;

import static java.util.Objects.requireNonNull;

import dev.switchboard.spi.AccountStatus;
import java.util.List;
import java.util.Optional;

/** All account supervisors of one gateway: started together, closed together (in parallel). */
public final class ChannelSupervisor implements AutoCloseable {
    private final List<AccountSupervisor> accounts;

    public ChannelSupervisor(List<AccountSupervisor> accounts) {
        this.accounts = List.copyOf(requireNonNull(accounts, "accounts is null"));
    }

    public void start() {
        accounts.forEach(AccountSupervisor::start);
    }

    public List<AccountStatus> statuses() {
        return accounts.stream().map(AccountSupervisor::status).toList();
    }

    public List<AccountSupervisor> accounts() {
        return accounts;
    }

    /** The supervisor of one account, when this gateway runs it. */
    public Optional<AccountSupervisor> find(String channelId, String accountId) {
        return accounts.stream()
                .filter(a -> a.channelId().equals(channelId) && a.accountId().equals(accountId))
                .findFirst();
    }

    /** Closes every account; they close in parallel, each bounded by its own timeout. */
    @Override
    public void close() {
        accounts.forEach(AccountSupervisor::beginClose);
        accounts.forEach(AccountSupervisor::awaitClosed);
    }
}
