package dev.switchboard.core.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.SwitchboardException;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Store URLs as the gateway and the CLI show them: never with a password in them. */
class StoreUrlRedactionTest {
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "jdbc:sqlite:/var/lib/sb/switchboard.db | jdbc:sqlite:/var/lib/sb/switchboard.db",
                "jdbc:sqlite:/home/a@b/switchboard.db?cache=shared | jdbc:sqlite:/home/a@b/switchboard.db?…",
                "jdbc:postgresql://db.internal:5432/sb | jdbc:postgresql://db.internal:5432/sb",
                "jdbc:postgresql://db:5432/sb?user=bob&password=s3cret | jdbc:postgresql://db:5432/sb?…",
                "jdbc:postgresql://db/sb?user=bob@corp&password=s3cret | jdbc:postgresql://db/sb?…",
                "jdbc:postgresql://bob:s3cret@db:5432/sb | jdbc:postgresql://…@db:5432/sb",
                "jdbc:postgresql://bob:s3c@ret@db/sb | jdbc:postgresql://…@db/sb",
                "jdbc:postgresql://bob:s3c?ret@db/sb | jdbc:postgresql://…@db/sb",
                "jdbc:postgresql://bob:s3/c?r@et@db_1,db_2:5433/sb?ssl=true | jdbc:postgresql://…@db_1,db_2:5433/sb?…",
                "jdbc:postgresql://bob:s3cret@db/sb?password=p@ss | jdbc:postgresql://…",
                "jdbc:postgresql:bob:s3cret@db/sb | jdbc:postgresql:…",
                "JDBC:POSTGRESQL://bob:s3cret@db/sb | JDBC:POSTGRESQL://…@db/sb",
                "jdbc:mysql://root:s3cret@db/sb | jdbc:mysql://…@db/sb",
                "jdbc:mysql://root:s3cret@db | jdbc:mysql://…",
            })
    void aUrlIsShownWithoutItsPassword(String url, String shown) {
        assertThat(StoreDialect.redactedUrl(url)).isEqualTo(shown).doesNotContain("s3cret", "ret", "ss");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "jdbc:postgresql://bob:s3cret@127.0.0.1:1/sb",
                "jdbc:postgresql://bob:s3c?ret@127.0.0.1:1/sb",
                "jdbc:postgresql://bob:s3/cret@127.0.0.1:1/sb",
                "jdbc:postgresql:bob:s3cret@127.0.0.1:1/sb",
            })
    void aPostgresqlUrlWithAUserAndPasswordIsRefusedBeforeTheDriverSeesIt(String url) {
        assertThatThrownBy(() -> Store.open(url, Optional.empty(), Optional.empty(), Clock.systemUTC()))
                .isInstanceOf(SwitchboardException.class)
                .hasMessageContaining("a user or password in the URL is not read")
                .hasMessageNotContaining("cret")
                .extracting(e -> ((SwitchboardException) e).kind())
                .isEqualTo(SwitchboardException.Kind.CONFIG);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"jdbc:postgresql://127.0.0.1:1?password=s3cret", "jdbc:postgresql://db?user=u&password=s3cret"})
    void aPostgresqlUrlWithoutASlashAfterItsHostIsRefusedBeforeTheDriverLogsIt(String url) {
        assertThatThrownBy(() -> Store.open(url, Optional.empty(), Optional.empty(), Clock.systemUTC()))
                .isInstanceOf(SwitchboardException.class)
                .hasMessageEndingWith(
                        "?…: no / after the host (expected: jdbc:postgresql://<host>[:<port>]/<database>)")
                .hasMessageNotContaining("s3cret")
                .extracting(e -> ((SwitchboardException) e).kind())
                .isEqualTo(SwitchboardException.Kind.CONFIG);
    }
}
