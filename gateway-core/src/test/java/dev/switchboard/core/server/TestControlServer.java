package dev.switchboard.core.server;

import dev.switchboard.core.auth.internal.ConnectGuard;
import dev.switchboard.core.owner.PortSource;
import dev.switchboard.core.server.internal.ControlProtocol;
import dev.switchboard.core.server.internal.GatewayServer;
import dev.switchboard.core.server.internal.ServerLimits;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A control server on port 0 in front of a {@link FakeControlPlane}: accepts {@link #TOKEN}, refuses
 * the origin {@code https://evil.example}, locks an address out after 10 failures. Blocking methods
 * run on threads named {@code control-worker}.
 */
final class TestControlServer implements AutoCloseable {
    static final String TOKEN = "right-token";

    final FakeControlPlane plane = new FakeControlPlane();
    /** Failed authentications so far; a test may set it to start locked out. */
    final AtomicInteger failures = new AtomicInteger();

    final ControlProtocol protocol;
    private final ExecutorService workers = Executors.newFixedThreadPool(2, r -> new Thread(r, "control-worker"));
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final GatewayServer server;

    TestControlServer(ServerLimits limits) {
        protocol = new ControlProtocol(plane, limits, new Guard(failures), workers, timers);
        server = GatewayServer.start(
                new ListenAddress("127.0.0.1", 0, PortSource.CLI),
                "inst-1",
                () -> new Readiness(true, List.of()),
                Optional.of(protocol));
    }

    int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
        protocol.close();
        workers.shutdownNow();
        timers.shutdownNow();
    }

    private record Guard(AtomicInteger failures) implements ConnectGuard {
        @Override
        public Optional<String> refuseOrigin(Optional<String> origin, Optional<String> host) {
            return origin.filter("https://evil.example"::equals).map(o -> "origin not allowed: " + o);
        }

        @Override
        public Outcome authenticate(
                InetSocketAddress remote, Optional<String> origin, Optional<String> token, Optional<String> password) {
            if (failures.get() >= 10) {
                return Outcome.lockedOut(Duration.ofMinutes(5));
            }
            if (token.filter(TOKEN::equals).isPresent()) {
                return Outcome.accepted();
            }
            failures.incrementAndGet();
            return Outcome.refused(
                    "AUTH_TOKEN_MISMATCH", "token mismatch: this gateway expects the token from --token");
        }
    }
}
