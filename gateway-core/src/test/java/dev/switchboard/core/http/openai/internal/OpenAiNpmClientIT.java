package dev.switchboard.core.http.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official {@code openai} npm client (pinned in {@code src/test/node/openai-client}, installed
 * into {@code target/openai-client} by the build's {@code npm ci}) against real gateways: answers
 * whole and streamed, and its error classes for a bad token, a disabled API and a failing agent.
 */
class OpenAiNpmClientIT {
    private static final Path CLIENT = Path.of("target", "openai-client");

    @TempDir
    Path enabledState;

    @TempDir
    Path disabledState;

    private OpenAiGateway enabled;
    private OpenAiGateway disabled;

    @AfterEach
    void stop() {
        if (enabled != null) {
            enabled.close();
        }
        if (disabled != null) {
            disabled.close();
        }
    }

    @Test
    void theOfficialClientGetsAnswersAndTheRightErrors() throws Exception {
        assertThat(CLIENT.resolve("node_modules/openai/package.json"))
                .as("the build's npm ci (exec-maven-plugin, process-test-resources) installs the client")
                .exists();
        ScriptedAgent agent = new ScriptedAgent();
        enabled = OpenAiGateway.start(OpenAiGateway.ENABLED, enabledState, agent);
        disabled = OpenAiGateway.start(OpenAiGateway.DISABLED, disabledState, null);

        Map<String, String> checks = run(enabled.baseUrl(), OpenAiGateway.TOKEN, disabled.baseUrl());

        assertThat(checks.get("models")).isEqualTo("switchboard-scripted");
        assertThat(checks.get("chat")).isEqualTo("hello from npm");
        assertThat(checks.get("chat-stream")).isEqualTo("one two three four five six | pieces>1=true finish=stop");
        assertThat(checks.get("chat-stream-failure"))
                .startsWith("after \"" + ScriptedAgent.PARTIAL + "\" APIError - Sorry, I couldn't answer that");
        assertThat(checks.get("chat-failure"))
                .startsWith("threw InternalServerError 500 500 Sorry, I couldn't answer that");
        assertThat(agent.requests.stream().filter(request -> request.text().equals("fail at once")))
                .as("x-should-retry: false: the client did not run the failed turn again")
                .hasSize(1);
        assertThat(checks.get("responses")).isEqualTo("hello responses | status=completed");
        assertThat(checks.get("responses-messages")).isEqualTo("as parts");
        assertThat(checks.get("responses-stream"))
                .isEqualTo("alpha beta gamma delta | last=response.completed ordered=true");
        assertThat(checks.get("responses-stream-helper")).isEqualTo("via the stream helper | status=completed");
        assertThat(checks.get("responses-stream-failure"))
                .startsWith("after \"" + ScriptedAgent.PARTIAL + "\" response.failed Sorry, I couldn't answer that");
        assertThat(checks.get("bad-request"))
                .isEqualTo("threw BadRequestError 400 400 n: 2 (expected: 1: one choice per request)");
        assertThat(checks.get("bad-token")).startsWith("threw AuthenticationError 401 401 ");
        assertThat(checks.get("bad-token")).doesNotContain("not-the-token");
        assertThat(checks.get("disabled"))
                .isEqualTo("threw PermissionDeniedError 403 403 /v1/chat/completions is disabled on this gateway:"
                        + " set gateway.http.chat_completions.enabled = true to enable it");
        assertThat(checks.get("disabled-responses"))
                .startsWith("threw PermissionDeniedError 403 403 /v1/responses is disabled")
                .contains("gateway.http.responses.enabled = true");
    }

    /** Runs the client script; its {@code <check>: <result>} lines, by check. */
    private static Map<String, String> run(String baseUrl, String token, String disabledBaseUrl)
            throws IOException, InterruptedException {
        Path output = Files.createTempFile("openai-client", ".out");
        try {
            Process node = new ProcessBuilder("node", "client.mjs", baseUrl, token, disabledBaseUrl)
                    .directory(CLIENT.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            boolean ended = node.waitFor(120, TimeUnit.SECONDS);
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (!ended) {
                node.destroyForcibly();
            }
            assertThat(ended)
                    .as("node client.mjs ended within 120 s:\n%s", text)
                    .isTrue();
            assertThat(node.exitValue()).as(text).isZero();
            Map<String, String> checks = new LinkedHashMap<>();
            for (String line : text.split("\\R", -1)) {
                int colon = line.indexOf(": ");
                if (colon > 0) {
                    checks.put(line.substring(0, colon), line.substring(colon + 2));
                }
            }
            assertThat(checks).as(text).containsKeys("models", "disabled-responses");
            return checks;
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
