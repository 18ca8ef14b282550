package dev.switchboard.cli.internal;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How {@code config plan} and {@code secrets reload} print a {@link ReloadAnswer}: the changed paths
 * with their kinds, aligned, then one labelled line per group of accounts.
 */
public final class ReloadText {
    private ReloadText() {}

    /** {@code path  kind} for every change, kinds aligned; empty when nothing changed. */
    public static List<String> changes(ReloadAnswer answer) {
        List<List<String>> rows = new ArrayList<>();
        for (ReloadAnswer.Change change : answer.changes()) {
            rows.add(List.of(change.path(), change.kind()));
        }
        return GatewayText.align(rows);
    }

    /** The accounts restarted, started, stopped and updated live, {@code -} for none. */
    public static void accounts(PrintStream out, ReloadAnswer answer) {
        ReloadAnswer.Accounts accounts = answer.accounts();
        line(out, "accounts restarted", list(accounts.restarted()));
        line(out, "accounts started", list(accounts.started()));
        line(out, "accounts stopped", list(accounts.stopped()));
        line(out, "accounts updated live", list(accounts.updated()));
    }

    /** One {@code degraded  channel.account  reason} line per account, accounts aligned. */
    public static void degraded(PrintStream out, Map<String, String> degraded) {
        List<List<String>> rows = new ArrayList<>();
        degraded.forEach((account, reason) -> rows.add(List.of(account, reason)));
        GatewayText.align(rows).forEach(row -> line(out, "degraded", row));
    }

    /** A labelled line, values aligned after the longest label. */
    public static void line(PrintStream out, String label, String value) {
        out.printf("%-23s%s%n", label, value);
    }

    private static String list(List<String> values) {
        return values.isEmpty() ? "-" : String.join(", ", values);
    }
}
