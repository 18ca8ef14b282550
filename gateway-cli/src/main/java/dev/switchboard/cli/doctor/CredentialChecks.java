package dev.switchboard.cli.doctor;

import static java.util.Objects.requireNonNull;

import dev.switchboard.cli.GatewayRpcException;
import dev.switchboard.cli.GatewaySession;
import dev.switchboard.cli.GatewayTargets;
import dev.switchboard.core.config.AccountConfig;
import dev.switchboard.core.owner.OwnerState;
import dev.switchboard.core.owner.OwnerStatus;
import dev.switchboard.core.secrets.SecretSnapshot;
import dev.switchboard.protocol.ChannelStatus;
import dev.switchboard.protocol.ChannelsStatus;
import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.Probe;
import dev.switchboard.protocol.Scopes;
import dev.switchboard.spi.ChannelProvider;
import dev.switchboard.spi.ProbeResult;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The doctor's credential check of each account (SPEC §9: "each account's credentials (probe)"). An account
 * the running gateway of this state directory serves is probed by that gateway ({@code channels.status} with
 * {@code probe}): a second connection with the same credentials could take the bot from it (WeCom hands a
 * bot to its newest subscriber). Any other account is probed here, by an adapter that is never started.
 */
final class CredentialChecks {
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration LIVE_TIMEOUT = Duration.ofSeconds(30);

    private final OfflineProbe offline;
    private final Map<String, Probe> live = new HashMap<>();
    private final Optional<String> liveFailure;

    private CredentialChecks(OfflineProbe offline, Optional<String> liveFailure) {
        this.offline = offline;
        this.liveFailure = liveFailure;
    }

    /** Asks the running gateway, if there is one, for its accounts' probes once for all the checks. */
    static CredentialChecks prepare(OwnerStatus owner, GatewayTargets targets, OfflineProbe offline) {
        requireNonNull(owner, "owner is null");
        requireNonNull(targets, "targets is null");
        if (owner.state() != OwnerState.RUNNING || owner.owner().isEmpty()) {
            return new CredentialChecks(offline, Optional.empty());
        }
        try {
            ChannelsStatus status = targets.owner(owner.owner().get())
                    .ask(
                            List.of(Scopes.READ),
                            LIVE_TIMEOUT,
                            session -> session.call(
                                    Methods.CHANNELS_STATUS,
                                    GatewaySession.params().put("probe", true),
                                    ChannelsStatus.class));
            CredentialChecks checks = new CredentialChecks(offline, Optional.empty());
            for (ChannelStatus channel : status.channels()) {
                channel.probe().ifPresent(probe -> checks.live.put(key(channel.channel(), channel.account()), probe));
            }
            return checks;
        } catch (GatewayRpcException e) {
            return new CredentialChecks(
                    offline, Optional.of(e.getMessage().lines().findFirst().orElse("")));
        }
    }

    Check check(ChannelProvider provider, AccountConfig account, SecretSnapshot secrets) {
        String name = account.channelId() + "." + account.accountId() + " probe";
        String fix = "check "
                + String.join(
                        " and ",
                        provider.credentialKeys().stream().map(account::path).toList()) + ", then: switchboard doctor";
        Optional<String> unresolved = secrets.accountFailure(account.channelId(), account.accountId());
        if (unresolved.isPresent()) {
            return Check.skip(name, "its secrets do not resolve (see secrets)");
        }
        Probe served = live.get(key(account.channelId(), account.accountId()));
        if (served != null) {
            return served.ok()
                    ? Check.ok(name, served.detail() + " (probed by the running gateway)")
                    : Check.fail(name, served.detail() + " (probed by the running gateway)", fix);
        }
        if (liveFailure.isPresent()) {
            return Check.warn(
                    name,
                    "not probed: the running gateway did not answer (" + liveFailure.get() + ")",
                    "switchboard channels status --probe");
        }
        ProbeResult result = offline.probe(provider, secrets.settings(account));
        return result.ok() ? Check.ok(name, result.detail()) : Check.fail(name, result.detail(), fix);
    }

    private static String key(String channel, String account) {
        return channel + "\u0000" + account;
    }
}
