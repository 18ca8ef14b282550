package dev.switchboard.core.cluster.internal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.auth.GatewayAuth;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.store.internal.LeaseRepository;
import dev.switchboard.protocol.ChannelStatus;
import dev.switchboard.protocol.ChannelsStatus;
import dev.switchboard.protocol.FrameCodec;
import dev.switchboard.protocol.GatewayClient;
import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.Payloads;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the replicas that own accounts held elsewhere (docs/cluster.md): {@code channels.status
 * {probe}} on a replica checks its own accounts and forwards the rest, one call per owner, with the
 * gateway credential the replicas share. The owner is asked for its own accounts only ({@code
 * localOnly}), so a forward is never forwarded again.
 */
public final class OwnerForwarding {
    private static final Logger log = LoggerFactory.getLogger(OwnerForwarding.class);
    /** The parameter that asks a replica for its own accounts only. */
    public static final String LOCAL_ONLY = "localOnly";

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);

    private final LeaseKeeper keeper;
    private final Supplier<GatewayAuth> auth;
    private final Supplier<OkHttpClient> httpClient;

    public OwnerForwarding(LeaseKeeper keeper, Supplier<GatewayAuth> auth, Supplier<OkHttpClient> httpClient) {
        this.keeper = requireNonNull(keeper, "keeper is null");
        this.auth = requireNonNull(auth, "auth is null");
        this.httpClient = requireNonNull(httpClient, "httpClient is null");
    }

    /**
     * The probed status of {@code accounts} (held by other replicas) as their owners report them.
     * An account without a live owner, or whose owner does not answer, is left out and named in
     * the returned problems.
     */
    public Forwarded probe(List<AccountKey> accounts) {
        ClusterView view = keeper.readView();
        Map<LeaseRepository.Member, List<AccountKey>> byOwner = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (AccountKey account : accounts) {
            Optional<LeaseRepository.Member> owner = view.owner(account.channel(), account.account());
            if (owner.isEmpty() || owner.get().replicaId().equals(keeper.replicaId())) {
                problems.add(account.name() + ": no replica holds its lease now");
            } else {
                byOwner.computeIfAbsent(owner.get(), o -> new ArrayList<>()).add(account);
            }
        }
        List<ChannelStatus> statuses = new ArrayList<>();
        byOwner.forEach((owner, owned) -> {
            try {
                ChannelsStatus answer = ask(owner);
                List<AccountKey> reported = new ArrayList<>();
                for (ChannelStatus status : answer.channels()) {
                    AccountKey key = new AccountKey(status.channel(), status.account());
                    if (owned.contains(key)) {
                        statuses.add(status);
                        reported.add(key);
                    }
                }
                owned.stream()
                        .filter(a -> !reported.contains(a))
                        .forEach(a -> problems.add(a.name() + ": its owner " + owner.replicaId()
                                + " does not run it now (the lease is moving)"));
            } catch (RuntimeException e) {
                String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                log.warn("cluster: forwarding channels.status to {} failed: {}", owner.replicaId(), why);
                owned.forEach(
                        a -> problems.add(a.name() + ": its owner " + owner.replicaId() + " did not answer: " + why));
            }
        });
        return new Forwarded(statuses, problems);
    }

    /** What the owners answered, and the accounts they could not answer for. */
    public record Forwarded(List<ChannelStatus> statuses, List<String> problems) {
        public Forwarded {
            statuses = List.copyOf(statuses);
            problems = List.copyOf(problems);
        }
    }

    private ChannelsStatus ask(LeaseRepository.Member owner) {
        GatewayAuth credentials = auth.get();
        GatewayClient.Builder builder = GatewayClient.builder(URI.create(owner.url()))
                .httpClient(httpClient.get())
                .reconnect(false)
                .requestTimeout(CALL_TIMEOUT)
                .clientInfo("switchboard-replica", "1", "jvm", "backend");
        credentials.sharedCredential().ifPresent(secret -> {
            if (credentials.mode() == GatewayConfig.AuthMode.PASSWORD) {
                builder.password(secret.reveal());
            } else {
                builder.token(secret.reveal());
            }
        });
        try (GatewayClient client = builder.connect()) {
            ObjectNode params =
                    FrameCodec.json().createObjectNode().put("probe", true).put(LOCAL_ONLY, true);
            JsonNode payload =
                    client.call(Methods.CHANNELS_STATUS, params).get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return Payloads.read(payload, ChannelsStatus.class);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException(cause.getMessage(), cause);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("no answer within " + CALL_TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
