package dev.switchboard.core.server;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.core.owner.PortSource;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Where the gateway listens (SPEC §5.1). Port: {@code --port} > {@code SWITCHBOARD_GATEWAY_PORT} >
 * {@code gateway.port} > 18789 (19001 with {@code --dev}). Bind: {@code --bind} > {@code
 * gateway.bind} > loopback.
 *
 * @param host the address to bind: {@code 127.0.0.1}, {@code 0.0.0.0} or an IP literal
 * @param port the port; 0 picks a free one
 * @param portSource where the port came from
 */
public record ListenAddress(String host, int port, PortSource portSource) {
    public static final int DEFAULT_PORT = 18789;
    public static final int DEV_PORT = 19001;
    public static final String PORT_ENV = "SWITCHBOARD_GATEWAY_PORT";

    private static final String BIND_EXPECTED = "(expected: loopback, lan or an IP address such as 192.168.1.10)";

    public ListenAddress {
        requireNonNull(host, "host is null");
        requireNonNull(portSource, "portSource is null");
        checkPort(port, "port");
    }

    public static ListenAddress resolve(
            OptionalInt cliPort, Optional<String> cliBind, Map<String, String> env, GatewayConfig config, boolean dev) {
        // a bad --port/--bind is the command line's mistake (usage); a bad gateway.bind the config's
        if (cliPort.isPresent() && !validPort(cliPort.getAsInt())) {
            throw SwitchboardException.usage("--port: " + cliPort.getAsInt() + " (expected: 0..65535)");
        }
        String host = cliBind.map(ListenAddress::cliHost)
                .orElseGet(() -> host(config.gateway().bind().orElse("loopback")));
        if (cliPort.isPresent()) {
            return new ListenAddress(host, cliPort.getAsInt(), PortSource.CLI);
        }
        String fromEnv = env.get(PORT_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new ListenAddress(host, parsePort(fromEnv.trim(), PORT_ENV), PortSource.ENV);
        }
        if (config.gateway().port().isPresent()) {
            return new ListenAddress(host, config.gateway().port().getAsInt(), PortSource.CONFIG);
        }
        return new ListenAddress(host, dev ? DEV_PORT : DEFAULT_PORT, PortSource.DEFAULT);
    }

    /** {@code loopback}, {@code lan} or an IP address literal; never a host name (no DNS at start). */
    public static String host(String bind) {
        return parseHost(bind)
                .orElseThrow(() -> SwitchboardException.config("bind: '" + bind.trim() + "' " + BIND_EXPECTED));
    }

    private static String cliHost(String bind) {
        return parseHost(bind)
                .orElseThrow(() -> SwitchboardException.usage("--bind: '" + bind.trim() + "' " + BIND_EXPECTED));
    }

    private static Optional<String> parseHost(String bind) {
        String value = bind.trim();
        if (value.equals("loopback")) {
            return Optional.of("127.0.0.1");
        }
        if (value.equals("lan")) {
            return Optional.of("0.0.0.0");
        }
        if (Ipv4.PATTERN.matcher(value).matches() || value.contains(":")) {
            try {
                return Optional.of(InetAddress.getByName(value).getHostAddress());
            } catch (UnknownHostException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    public boolean isLoopback() {
        // the usual binds answered without InetAddress, whose set-up is ~1 ms of a short command
        if (host.equals("127.0.0.1")) {
            return true;
        }
        if (host.equals("0.0.0.0")) {
            return false;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The address clients use to reach it: a wildcard bind is reached on loopback. */
    public String clientHost() {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("0:0:0:0:0:0:0:0") ? "127.0.0.1" : host;
    }

    private static int parsePort(String text, String what) {
        try {
            return checkPort(Integer.parseInt(text), what);
        } catch (NumberFormatException e) {
            throw SwitchboardException.config(what + ": '" + text + "' (expected: an integer 0..65535)");
        }
    }

    private static boolean validPort(int port) {
        return port >= 0 && port <= 65535;
    }

    private static int checkPort(int port, String what) {
        if (!validPort(port)) {
            throw SwitchboardException.config(what + ": " + port + " (expected: 0..65535)");
        }
        return port;
    }

    /** Compiled on first use: {@code loopback} and {@code lan}, the usual binds, need no regex. */
    private static final class Ipv4 {
        static final Pattern PATTERN = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    }
}
