package dev.switchboard.testkit.console;

import static java.util.Objects.requireNonNull;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * For the fakes' by-hand runners ({@code bin/fake-*}): prints each new entry of the lists it follows (what the bot
 * sent) as it arrives, checking every 100 ms while the runner reads commands, until closed.
 */
public final class ArrivalPrinter implements AutoCloseable {
    private final PrintStream out;
    private final List<Runnable> follows = new ArrayList<>();
    private final ScheduledExecutorService printer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "fake-console-printer");
        thread.setDaemon(true);
        return thread;
    });

    public ArrivalPrinter(PrintStream out) {
        this.out = requireNonNull(out, "out is null");
    }

    /**
     * Prints each entry {@code entries} gains from now on (it only grows), as {@code describe} words it.
     *
     * @param entries the list's current state, read at each check
     * @param describe one line per entry
     * @return this printer
     */
    public <T> ArrivalPrinter follow(Supplier<List<T>> entries, Function<T, String> describe) {
        int[] printed = {entries.get().size()};
        synchronized (follows) {
            follows.add(() -> {
                List<T> now = entries.get();
                for (; printed[0] < now.size(); printed[0]++) {
                    out.println(describe.apply(now.get(printed[0])));
                }
            });
        }
        return this;
    }

    /**
     * Starts checking.
     *
     * @return this printer
     */
    public ArrivalPrinter start() {
        var unused = printer.scheduleWithFixedDelay( // stops with the printer
                () -> {
                    synchronized (follows) {
                        follows.forEach(Runnable::run);
                    }
                },
                100,
                100,
                TimeUnit.MILLISECONDS);
        return this;
    }

    @Override
    public void close() {
        printer.shutdownNow();
    }
}
