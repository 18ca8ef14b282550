package dev.switchboard.cli.gateway;

import static java.util.Objects.requireNonNull;

import dev.switchboard.cli.GatewayRpcException;
import dev.switchboard.cli.GatewaySession;
import dev.switchboard.cli.GatewayTarget;
import dev.switchboard.core.owner.OwnerRecord;
import dev.switchboard.core.owner.StopRequester;
import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.Scopes;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Asks the owner to stop with RPC {@code gateway.stop}, authenticated like every local command
 * ({@code control.token} when readable). The target checks that the server answering is that owner.
 * When it fails, {@link #failure()} says why, and {@code OwnerStopper} falls back to its guarded
 * SIGTERM.
 */
final class RpcStopRequester implements StopRequester {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private final Function<OwnerRecord, GatewayTarget> targets;
    private volatile @Nullable String failure;

    RpcStopRequester(Function<OwnerRecord, GatewayTarget> targets) {
        this.targets = requireNonNull(targets, "targets is null");
    }

    @Override
    public boolean requestStop(OwnerRecord owner) {
        try (GatewaySession session = targets.apply(owner).connect(List.of(Scopes.ADMIN), CALL_TIMEOUT)) {
            session.call(Methods.GATEWAY_STOP);
            return true;
        } catch (GatewayRpcException e) {
            failure = e.getMessage().replaceAll("\\R", " ");
            return false;
        }
    }

    /** Why the last request failed, if it did. */
    Optional<String> failure() {
        return Optional.ofNullable(failure);
    }
}
