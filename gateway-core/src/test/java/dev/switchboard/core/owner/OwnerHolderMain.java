package dev.switchboard.core.owner;

import dev.switchboard.core.owner.internal.GatewayOwner;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * A second JVM for the cross-process tests: owns a state directory, prints {@code READY <instanceId>}
 * and sleeps until killed. Its shutdown hook closes the owner the way the launcher does.
 *
 * <p>Arguments: {@code <stateDir> [port|-] [slow-shutdown]}. With {@code slow-shutdown} the hook
 * sleeps a minute before closing, holding the lock, to make {@code gateway stop} time out.
 */
public final class OwnerHolderMain {
    private OwnerHolderMain() {}

    public static void main(String[] args) throws InterruptedException {
        OwnerPaths paths = new OwnerPaths(Path.of(args[0]));
        boolean slowShutdown = args.length > 2 && args[2].equals("slow-shutdown");
        OwnerRecord.Builder initial = OwnerRecord.forStart(
                        paths, OwnerRecord.Mode.GATEWAY, "0.0.0-test", Clock.systemUTC())
                .session("main")
                .portSource(PortSource.CLI)
                .phase(OwnerRecord.Phase.RUNNING);
        if (args.length > 1 && !args[1].equals("-")) {
            initial.port(Integer.parseInt(args[1]));
        }
        GatewayOwner owner;
        try {
            owner = GatewayOwner.acquire(paths, initial.build(), Clock.systemUTC());
        } catch (OwnerConflictException e) {
            System.out.println("CONFLICT " + e.getMessage());
            System.exit(78);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (slowShutdown) {
                try {
                    Thread.sleep(Duration.ofMinutes(1).toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            owner.close(OwnerRecord.Phase.STOPPED, "sigterm received", null);
        }));
        System.out.println("READY " + owner.current().instanceId());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
