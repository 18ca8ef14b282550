package dev.switchboard.cli.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.cli.CliHarness;
import dev.switchboard.cli.CliHarness.Result;
import dev.switchboard.core.store.internal.AcceptResult;
import dev.switchboard.core.store.internal.Store;
import dev.switchboard.spi.InboundMessage;
import dev.switchboard.testkit.postgres.TestPostgres;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code switchboard store migrate}: a profile's SQLite store moved into a real PostgreSQL database. */
class StoreMigrateCommandTest {
    @TempDir
    Path tmp;

    @Test
    void copiesTheProfilesStoreIntoPostgresqlWithThePasswordFromTheEnvironment() {
        CliHarness cli = new CliHarness(tmp.resolve("state")).env("TARGET_PW", "not-checked-by-trust-auth");
        long id;
        try (Store store = Store.open("jdbc:sqlite:" + cli.stateDir().resolve("switchboard.db"))) {
            id = store.inbound().accept(message("1"), "telegram:ops:chat-1").id();
        }
        String target = TestPostgres.get().url(tmp.resolve("target"));

        Result run = cli.run("store", "migrate", "--to", target, "--to-password-env", "TARGET_PW");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("copied 1 rows into jdbc:postgresql://").contains("inbound         1");
        assertThat(run.out() + run.err()).doesNotContain("not-checked-by-trust-auth");
        try (Store store = Store.open(target)) {
            assertThat(store.inbound().accept(message("1"), "telegram:ops:chat-1"))
                    .isEqualTo(AcceptResult.duplicate(id));
        }
    }

    @Test
    void aMissingPasswordVariableIsAUsageErrorNamingIt() {
        CliHarness cli = new CliHarness(tmp.resolve("state"));

        Result run = cli.run(
                "store", "migrate", "--to", "jdbc:postgresql://127.0.0.1:1/x", "--to-password-env", "NOT_SET_HERE");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--to-password-env NOT_SET_HERE: the environment variable is not set");
    }

    @Test
    void aPasswordInTheTargetUrlIsShownNeitherOnSuccessNorWhenTheTargetIsRefused() {
        CliHarness cli = new CliHarness(tmp.resolve("state"));
        try (Store store = Store.open("jdbc:sqlite:" + cli.stateDir().resolve("switchboard.db"))) {
            store.inbound().accept(message("1"), "telegram:ops:chat-1");
        }
        // trust auth reads no password, so the copy goes through with one in the query string
        String target = TestPostgres.get().url(tmp.resolve("target")) + "&password=hunter2";

        Result first = cli.run("store", "migrate", "--to", target);
        Result again = cli.run("store", "migrate", "--to", target);

        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out())
                .contains("copied 1 rows into jdbc:postgresql://127.0.0.1:")
                .contains("next: set store.url = \"jdbc:postgresql://127.0.0.1:");
        assertThat(again.exitCode()).as(again.toString()).isEqualTo(78);
        assertThat(again.err()).contains("is not empty");
        assertThat(first.out() + first.err() + again.out() + again.err()).doesNotContain("hunter2");
    }

    @Test
    void aUserAndPasswordInTheTargetUrlAreRefusedWithoutShowingThePassword() {
        CliHarness cli = new CliHarness(tmp.resolve("state"));

        Result run = cli.run("store", "migrate", "--to", "jdbc:postgresql://bob:hunter2@127.0.0.1:1/db");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(78);
        assertThat(run.err())
                .isEqualTo("error: store url jdbc:postgresql://…@127.0.0.1:1/db: a user or password in the URL is not"
                        + " read (expected: jdbc:postgresql://<host>[:<port>]/<database>, with the user and the"
                        + " password given apart from the URL)\n");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void anUnreachableOrUnsupportedTargetIsReportedWithoutItsPassword() {
        CliHarness cli = new CliHarness(tmp.resolve("state"));

        Result unreachable =
                cli.run("store", "migrate", "--to", "jdbc:postgresql://127.0.0.1:1/db?user=bob&password=hunter2");
        Result unsupported = cli.run("store", "migrate", "--to", "jdbc:mysql://bob:hunter2@127.0.0.1/db");

        assertThat(unreachable.exitCode()).as(unreachable.toString()).isEqualTo(1);
        assertThat(unreachable.err())
                .startsWith("error: store jdbc:postgresql://127.0.0.1:1/db?… cannot be opened: ")
                .doesNotContain("hunter2");
        assertThat(unsupported.exitCode()).as(unsupported.toString()).isEqualTo(78);
        assertThat(unsupported.err())
                .startsWith("error: store url jdbc:mysql://…@127.0.0.1/db: unsupported database")
                .doesNotContain("hunter2");
    }

    private static InboundMessage message(String id) {
        return new InboundMessage("telegram", "ops", "chat-1", Optional.empty(), "user-1", id, "hello", Instant.EPOCH);
    }
}
