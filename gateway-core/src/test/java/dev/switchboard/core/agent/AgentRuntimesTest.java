package dev.switchboard.core.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.agent.internal.AgentFailures;
import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.spi.Secret;
import dev.switchboard.spi.agent.AgentException;
import dev.switchboard.spi.agent.AgentRuntime;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

class AgentRuntimesTest {
    private final OkHttpClient client = new OkHttpClient();

    private static GatewayConfig.Agent agent(String provider, String baseUrl) {
        return new GatewayConfig.Agent(
                provider, 50, new GatewayConfig.OpenAi(baseUrl, Optional.empty(), "gpt-4o-mini", "Be brief."));
    }

    @Test
    void picksTheConfiguredProvider() {
        try (AgentRuntime echo =
                        AgentRuntimes.create(agent("echo", "https://api.openai.com/v1"), Optional.empty(), client);
                AgentRuntime openai = AgentRuntimes.create(
                        agent("openai", "https://api.openai.com/v1"), Optional.of(Secret.of("sk-secret-1")), client)) {
            assertThat(echo).isInstanceOf(EchoAgentRuntime.class);
            assertThat(openai).isInstanceOf(OpenAiAgentRuntime.class);
            assertThat(openai.id()).isEqualTo("openai");
            assertThat(openai.toString()).contains("gpt-4o-mini").doesNotContain("sk-secret-1");
            assertThat(((OpenAiAgentRuntime) openai).settings().systemPrompt()).contains("Be brief.");
        }
    }

    @Test
    void anUnknownProviderIsAConfigError() {
        assertThatThrownBy(
                        () -> AgentRuntimes.create(agent("gpt", "https://api.openai.com/v1"), Optional.empty(), client))
                .isInstanceOfSatisfying(SwitchboardException.class, e -> assertThat(e.kind())
                        .isEqualTo(SwitchboardException.Kind.CONFIG))
                .hasMessage("agent.provider: \"gpt\" (expected: echo | openai)");
    }

    @Test
    void aBadBaseUrlIsAConfigError() {
        assertThatThrownBy(() -> AgentRuntimes.create(agent("openai", "api.openai.com/v1"), Optional.empty(), client))
                .isInstanceOf(SwitchboardException.class)
                .hasMessageStartingWith("agent.openai.base_url: \"api.openai.com/v1\" (expected: an http or https URL");
    }

    @Test
    void theApologyNamesTheReferenceButNotTheProviderText() {
        AgentException failure = new AgentException(
                AgentException.Kind.UNAVAILABLE, true, "HTTP 500: server_error: internal detail xyz", 500, null);

        String apology = AgentFailures.apology(new CompletionException(failure), "7f3a2c1b");

        assertThat(apology)
                .startsWith("Sorry, I couldn't answer that")
                .endsWith("(ref 7f3a2c1b).")
                .doesNotContain("xyz")
                .doesNotContain("500");
        assertThat(AgentFailures.apology(new IllegalStateException("boom secret"), "00000000"))
                .isEqualTo("Sorry, I couldn't answer that (ref 00000000).");
        assertThat(AgentFailures.newReferenceId()).matches("[0-9a-f]{8}");
    }
}
