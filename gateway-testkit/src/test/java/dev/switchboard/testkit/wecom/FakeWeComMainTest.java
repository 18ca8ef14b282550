package dev.switchboard.testkit.wecom;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code bin/fake-wecom}'s program, run as a process the way a person runs it: URL first, commands on stdin. */
class FakeWeComMainTest {
    private static final Pattern FIRST_LINE = Pattern.compile("fake WeCom on (ws://127\\.0\\.0\\.1:\\d+) — .*");

    @Test
    void printsItsWsUrlFirstAndPrintsWhatTheBotSends() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(
                        java.toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        FakeWeComMain.class.getName(),
                        "--port",
                        "0")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8));
                Writer in = process.outputWriter(UTF_8)) {
            Matcher first = FIRST_LINE.matcher(out.readLine());
            assertThat(first.matches()).as("the first line names the ws URL").isTrue();
            try (AiBotClient client = new AiBotClient(first.group(1))) {
                JsonNode ack = client.subscribe(FakeWeComMain.DEFAULT_BOT_ID, FakeWeComMain.DEFAULT_SECRET);
                assertThat(ack.path("errcode").asInt()).isZero();
                in.write("say alice hello there\n");
                in.flush();
                JsonNode callback = client.callback();
                assertThat(callback.path("body").path("text").path("content").asText())
                        .isEqualTo("hello there");
                client.stream(callback.path("headers").path("req_id").asText(), "s", "hi alice", true);
                String line;
                do {
                    line = out.readLine();
                } while (line != null && !line.startsWith("bot -> "));
                assertThat(line).startsWith("bot -> alice (stream, reply to ").endsWith("): hi alice");
            }
            in.write("quit\n");
            in.flush();
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isZero();
        } finally {
            process.destroyForcibly();
        }
    }
}
