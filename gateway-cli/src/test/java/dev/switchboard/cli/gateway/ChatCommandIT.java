package dev.switchboard.cli.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.testkit.openai.FakeOpenAiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code switchboard chat} (SPEC §9) against a {@code gateway run --dev} in another JVM. */
class ChatCommandIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    @Test
    void chatPrintsTheEchoAgentsReplyAndKeepsTheSession() throws Exception {
        Path logs = home.resolve("process-logs");
        try (GatewayProcess gateway = GatewayProcess.start(home, logs, "gateway", "run", "--dev", "--port", "0")) {
            gateway.awaitRunning();

            LocalCli.Run hello = new LocalCli(home).run("--dev", "chat", "hello");
            assertThat(hello.code()).as(hello.err() + gateway.describe()).isZero();
            assertThat(hello.out()).isEqualTo("hello\n");

            LocalCli.Run json = new LocalCli(home).run("--dev", "chat", "again", "--session", "other", "--json");
            assertThat(json.code()).as(json.err()).isZero();
            JsonNode event = JSON.readTree(json.out());
            assertThat(event.path("state").asText()).isEqualTo("final");
            assertThat(event.path("message").asText()).isEqualTo("again");
            assertThat(event.path("sessionKey").asText()).isEqualTo("webchat:other");

            LocalCli.Run reset = new LocalCli(home).run("--dev", "chat", "/reset");
            assertThat(reset.code()).as(reset.err()).isZero();
            assertThat(reset.out()).isEqualTo("Started a new conversation.\n");
        }
    }

    @Test
    void chatPrintsTheOpenAiProvidersStreamedReply() throws Exception {
        try (FakeOpenAiServer fake = FakeOpenAiServer.start().replyWith("Hi from the fake model, streamed.")) {
            try (GatewayProcess gateway = devGatewayOn(fake, "sk-test-chat")) {

                LocalCli.Run run = new LocalCli(home).run("--dev", "chat", "hello");
                assertThat(run.code()).as(run.err() + gateway.describe()).isZero();
                assertThat(run.out()).isEqualTo("Hi from the fake model, streamed.\n");
                assertThat(fake.chatRequests()).hasSize(1);
            }
        }
    }

    @Test
    void aFailingAgentRunExitsOneWithTheApology() throws Exception {
        try (FakeOpenAiServer fake = FakeOpenAiServer.start().requireApiKey("sk-the-right-key")) {
            try (GatewayProcess gateway = devGatewayOn(fake, "sk-a-wrong-key")) {

                LocalCli.Run run = new LocalCli(home).run("--dev", "chat", "hello");
                assertThat(run.code())
                        .as(run.out() + run.err() + gateway.describe())
                        .isEqualTo(1);
                assertThat(run.err())
                        .contains("chat failed: Sorry, I couldn't answer that")
                        .contains("(ref ");
                assertThat(run.err()).doesNotContain("sk-a-wrong-key");
            }
        }
    }

    /** A {@code gateway run --dev} in its own JVM whose agent is the fake provider with {@code apiKey}. */
    private GatewayProcess devGatewayOn(FakeOpenAiServer fake, String apiKey) throws Exception {
        Path stateDir = home.resolve(".switchboard-dev");
        Files.createDirectories(stateDir);
        Files.writeString(
                stateDir.resolve("switchboard.conf"),
                """
                agent.provider = "openai"
                agent.openai.base_url = "%s"
                agent.openai.api_key = "%s"
                """
                        .formatted(fake.baseUrl(), apiKey));
        GatewayProcess gateway =
                GatewayProcess.start(home, home.resolve("process-logs"), "gateway", "run", "--dev", "--port", "0");
        try {
            gateway.awaitRunning();
        } catch (Exception | AssertionError e) {
            gateway.close(); // never leave a child JVM behind
            throw e;
        }
        return gateway;
    }
}
