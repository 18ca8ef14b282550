package dev.switchboard.core.automation.internal;

import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.http.internal.HttpAccess;
import dev.switchboard.core.http.internal.HttpRoute;
import dev.switchboard.core.server.internal.MethodCalls;
import dev.switchboard.spi.Secret;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/** The routes other programs drive the gateway with: {@code POST /tools/invoke}, {@code POST /hooks/agent} and {@code POST /hooks/wake}. */
public final class AutomationRoutes {
    private AutomationRoutes() {}

    /**
     * The routes, behind {@code access}, running the methods of {@code calls} on {@code workers}.
     *
     * @param config the configuration in force, read per request (the routes' settings are hot)
     * @param hookToken the resolved {@code gateway.hooks.token} in force
     */
    public static List<HttpRoute> of(
            HttpAccess access,
            MethodCalls calls,
            Supplier<GatewayConfig> config,
            Supplier<Optional<Secret>> hookToken,
            Executor workers,
            Clock clock) {
        HookRateLimit budget = new HookRateLimit(clock);
        AgentHookRoute agent = new AgentHookRoute(calls);
        WakeHookRoute wake = new WakeHookRoute(calls);
        return List.of(
                HttpRoute.exact(ToolsInvokeRoute.PATH, new ToolsInvokeRoute(access, calls, config, workers)),
                HttpRoute.exact(
                        AgentHookRoute.PATH,
                        new HookGate(AgentHookRoute.PATH, access, config, hookToken, budget, workers, agent::run)),
                HttpRoute.exact(
                        WakeHookRoute.PATH,
                        new HookGate(WakeHookRoute.PATH, access, config, hookToken, budget, workers, wake::run)));
    }
}
