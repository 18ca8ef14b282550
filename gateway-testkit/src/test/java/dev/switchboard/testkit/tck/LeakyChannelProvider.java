package dev.switchboard.testkit.tck;

import dev.switchboard.spi.ChannelAdapter;
import dev.switchboard.spi.ChannelContext;
import java.util.concurrent.CountDownLatch;

/** A broken channel: its adapter starts a heartbeat thread that close() never stops. */
public class LeakyChannelProvider extends ReferenceChannelProvider {
    /** Lets the test end the leaked threads after it saw the TCK catch them. */
    static final CountDownLatch RELEASE = new CountDownLatch(1);

    public LeakyChannelProvider() {
        super("tckleaky");
    }

    @Override
    public ChannelAdapter create(ChannelContext context) {
        return new Adapter(context) {
            @Override
            public void start() {
                super.start();
                Thread heartbeat = new Thread(
                        () -> {
                            try {
                                RELEASE.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "tckleaky-heartbeat");
                heartbeat.setDaemon(true);
                heartbeat.start();
            }
        };
    }
}
