package dev.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.ProvisionException;
import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.SwitchboardException.Kind;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class ExceptionHandlingTest {
    @ParameterizedTest
    @CsvSource({"USAGE, 2", "CONFIG, 78", "RUNTIME, 1"})
    void anExpectedFailureExitsByItsKindWithoutAStackTrace(Kind kind, int exitCode) {
        CliRun run = runThrowing(new SwitchboardException(kind, "port: 70000 (expected: 0..65535)"));

        assertThat(run.exitCode()).isEqualTo(exitCode);
        assertThat(run.err()).isEqualTo("error: port: 70000 (expected: 0..65535)" + System.lineSeparator());
        assertThat(run.out()).isEmpty();
    }

    @Test
    void eachLineOfAMultiLineMessageIsPrefixed() {
        CliRun run = runThrowing(SwitchboardException.config("config has 2 problems:\n  a.conf:3: x\n  a.conf:4: y"));

        assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err().lines())
                .containsExactly("error: config has 2 problems:", "error:   a.conf:3: x", "error:   a.conf:4: y");
    }

    @Test
    void anExpectedFailureInsideGuiceProvisioningIsUnwrapped() {
        CliRun run = runThrowing(new ProvisionException("provider failed", SwitchboardException.config("no channels")));

        assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG);
        assertThat(run.err()).isEqualTo("error: no channels" + System.lineSeparator());
    }

    @Test
    void anyOtherExceptionIsAnInternalErrorWithoutAStackTrace() {
        CliRun run = runThrowing(new IllegalStateException("queue is full"));

        assertThat(run.exitCode()).isEqualTo(ExitCodes.RUNTIME);
        assertThat(run.err())
                .isEqualTo("error: internal error: IllegalStateException: queue is full" + System.lineSeparator());
    }

    @Test
    void anExceptionWithoutMessageIsNamedByItsClass() {
        CliRun run = runThrowing(new NullPointerException());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.RUNTIME);
        assertThat(run.err())
                .isEqualTo("error: internal error: java.lang.NullPointerException" + System.lineSeparator());
    }

    @Test
    void globalOptionsReachATestCommandToo() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine cli = RootCommandLine.create(CliRun.environment(out, err));
        Throwing boom = new Throwing(() -> 0);
        cli.addSubcommand(boom);

        assertThat(cli.execute("boom", "--dev")).isZero();
        assertThat(((SwitchboardCommand) cli.getCommand()).globals().dev()).isTrue();
    }

    private static CliRun runThrowing(RuntimeException failure) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine cli = RootCommandLine.create(CliRun.environment(out, err));
        cli.addSubcommand(new Throwing(() -> {
            throw failure;
        }));
        int code = cli.execute("boom");
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Command(name = "boom")
    static final class Throwing implements Callable<Integer> {
        private final Callable<Integer> body;

        Throwing(Callable<Integer> body) {
            this.body = body;
        }

        @Override
        public Integer call() throws Exception {
            return body.call();
        }
    }
}
