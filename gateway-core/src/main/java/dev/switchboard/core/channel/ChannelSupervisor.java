package dev.switchboard.core.channel;

import static java.util.Objects.requireNonNull;

import dev.switchboard.spi.AccountStatus;
import java.util.List;

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

    /** Closes every account; they close in parallel, each bounded by its own timeout. */
    @Override
    public void close() {
        accounts.forEach(AccountSupervisor::beginClose);
        accounts.forEach(AccountSupervisor::awaitClosed);
    }
}
