package dev.switchboard.bench;

import dev.switchboard.core.Gateway;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.config.ConfigLoader;
import dev.switchboard.core.owner.PortSource;
import dev.switchboard.core.server.ListenAddress;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The gateway under test, in a JVM of its own so its heap holds the server's objects only.
 *
 * <p>Started by {@link GatewayProcess}: {@code BenchGatewayMain <token> [<config file>]}. It starts a
 * gateway on {@code 127.0.0.1:0} with a temporary state dir — with the built-in defaults and no
 * channels, or with the given config file and the channel modules on the class path, watching the
 * file as {@code gateway run} does (SPEC §8) — then
 * prints one {@code ready port=<port> pid=<pid> gc=<collectors> maxHeap=<bytes>} line and answers
 * commands read from stdin, one per line:
 *
 * <ul>
 *   <li>{@code heap}: two {@code System.gc()} calls (full, stop-the-world collections with the
 *       JDK's collectors unless {@code -XX:+ExplicitGCInvokesConcurrent} is set), then {@code heap
 *       used=<bytes> committed=<bytes>} from the {@code MemoryMXBean};
 *   <li>{@code stop}: closes the gateway and exits 0 (also on end of input).
 * </ul>
 */
public final class BenchGatewayMain {
    private BenchGatewayMain() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: BenchGatewayMain <token> [<config file>]");
            System.exit(64);
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Path stateDir = Files.createTempDirectory("switchboard-bench-state");
        ChannelRegistry registry = args.length == 2 ? ChannelRegistry.discover() : ChannelRegistry.of();
        ConfigLoader loader = new ConfigLoader(registry);
        Gateway gateway = Gateway.builder()
                .config(args.length == 2 ? loader.load(Path.of(args[1])) : loader.defaults())
                .stateDir(stateDir)
                .registry(registry)
                .environment(Map.of())
                .listen(new ListenAddress("127.0.0.1", 0, PortSource.CLI))
                .token(args[0])
                .watchConfig(args.length == 2) // as bin/switchboard gateway run: edits of the file apply live
                .build()
                .start();
        try {
            String collectors = ManagementFactory.getGarbageCollectorMXBeans().stream()
                    .map(GarbageCollectorMXBean::getName)
                    .map(name -> name.replace(' ', '_'))
                    .collect(Collectors.joining(","));
            out.println("ready port=" + gateway.port() + " pid="
                    + ProcessHandle.current().pid() + " gc=" + collectors + " maxHeap="
                    + Runtime.getRuntime().maxMemory());
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                switch (line.trim()) {
                    case "heap" -> {
                        MemoryUsage heap = heapAfterGc();
                        out.println("heap used=" + heap.getUsed() + " committed=" + heap.getCommitted());
                    }
                    case "stop" -> {
                        return;
                    }
                    default -> out.println("error unknown command: " + line.trim() + " (expected: heap, stop)");
                }
            }
        } finally {
            gateway.close("benchmark finished");
            deleteQuietly(stateDir);
        }
    }

    private static MemoryUsage heapAfterGc() throws InterruptedException {
        System.gc();
        Thread.sleep(200);
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temp dir left behind is harmless
        }
    }
}
