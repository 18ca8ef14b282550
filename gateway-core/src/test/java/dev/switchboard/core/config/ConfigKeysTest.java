package dev.switchboard.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import dev.switchboard.spi.ReloadKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigKeysTest {
    private static final Path DOC = Path.of("..", "docs", "configuration.md");

    @Test
    void everyCoreKeyIsDocumentedWithItsDefaultAndReloadKind() throws Exception {
        String doc = Files.readString(DOC);

        for (ConfigKeys.Key key : ConfigKeys.core()) {
            String row = doc.lines()
                    .filter(line -> line.startsWith("| `" + key.path() + "` |"))
                    .findFirst()
                    .orElse(null);
            assertThat(row)
                    .as("docs/configuration.md has a table row for %s", key.path())
                    .isNotNull();
            List<String> cells = List.of(row.split(" \\| "));
            assertThat(cells.get(3)).as("%s sensitive", key.path()).isEqualTo(key.sensitive() ? "yes" : "no");
            assertThat(cells.get(4))
                    .as("%s reload", key.path())
                    .isEqualTo(key.reload().label());
            key.defaultValue().ifPresent(def -> assertThat(cells.get(2))
                    .as("%s default", key.path())
                    .isEqualTo("`" + def + "`"));
        }
    }

    @Test
    void everyDefaultIsAValueOfItsKeysType() {
        for (ConfigKeys.Key key : ConfigKeys.core()) {
            key.defaultConfigValue().ifPresent(value -> {
                ConfigValue configValue = ConfigValueFactory.fromAnyRef(value);
                assertThat(String.valueOf(configValue.unwrapped()))
                        .as(key.path())
                        .isEqualTo(key.defaultValue().orElseThrow());
                assertThat(configValue.valueType())
                        .as(key.path())
                        .isEqualTo(
                                switch (key.type()) {
                                    case INT -> ConfigValueType.NUMBER;
                                    case BOOL -> ConfigValueType.BOOLEAN;
                                    case LIST, ORIGINS -> ConfigValueType.LIST;
                                    default -> ConfigValueType.STRING;
                                });
            });
        }
        assertThat(ConfigKeys.find("gateway.max_payload_bytes").orElseThrow().defaultConfigValue())
                .contains(1_048_576);
    }

    @Test
    void reloadKindsOfTheSpec() {
        assertThat(ConfigKeys.find("gateway.port").orElseThrow().reload()).isEqualTo(ReloadKind.RESTART);
        assertThat(ConfigKeys.find("gateway.bind").orElseThrow().reload()).isEqualTo(ReloadKind.RESTART);
        assertThat(ConfigKeys.find("store.url").orElseThrow().reload()).isEqualTo(ReloadKind.RESTART);
        assertThat(ConfigKeys.find("gateway.auth.token").orElseThrow().reload()).isEqualTo(ReloadKind.HOT);
        assertThat(ConfigKeys.find("gateway.control_ui.allowed_origins")
                        .orElseThrow()
                        .reload())
                .isEqualTo(ReloadKind.HOT);
        assertThat(ConfigKeys.core())
                .filteredOn(key -> List.of(
                                "gateway.max_payload_bytes",
                                "gateway.max_buffered_bytes",
                                "gateway.tick_interval_ms",
                                "gateway.slow_consumer_timeout_ms",
                                "gateway.max_connections",
                                "gateway.request_header_timeout_ms",
                                "gateway.http_idle_timeout_ms")
                        .contains(key.path()))
                .hasSize(7)
                .allMatch(key -> key.reload() == ReloadKind.RESTART);
        assertThat(ConfigKeys.core())
                .filteredOn(key -> key.path().startsWith("agent."))
                .allMatch(key -> key.reload() == ReloadKind.HOT);
        assertThat(ConfigKeys.core())
                .filteredOn(ConfigKeys.Key::sensitive)
                .extracting(ConfigKeys.Key::path)
                .containsExactly(
                        "gateway.auth.token",
                        "gateway.auth.password",
                        "gateway.hooks.token",
                        "gateway.remote.token",
                        "agent.openai.api_key",
                        "store.password");
        assertThat(ConfigKeys.coreTables())
                .containsExactly(
                        "agent",
                        "agent.heartbeat",
                        "agent.heartbeat.quiet_hours",
                        "agent.heartbeat.target",
                        "agent.openai",
                        "gateway",
                        "gateway.auth",
                        "gateway.cluster",
                        "gateway.control_ui",
                        "gateway.hooks",
                        "gateway.http",
                        "gateway.http.chat_completions",
                        "gateway.http.metrics",
                        "gateway.http.responses",
                        "gateway.http.tools",
                        "gateway.reload",
                        "gateway.remote",
                        "store");
    }

    @Test
    void channelKeysComeFromTheProvider() {
        List<ConfigKeys.Key> telegram = ConfigKeys.channel(TestChannels.TELEGRAM);

        assertThat(telegram)
                .extracting(ConfigKeys.Key::path)
                .containsExactly(
                        "telegram.enabled",
                        "telegram.default_account",
                        "telegram.accounts",
                        "telegram.allowed_chat_ids",
                        "telegram.api_base_url",
                        "telegram.bot_token",
                        "telegram.mode",
                        "telegram.poll_timeout_seconds",
                        "telegram.require_mention",
                        "telegram.webhook_secret",
                        "telegram.webhook_url");
        assertThat(telegram)
                .filteredOn(key -> key.path().equals("telegram.bot_token"))
                .singleElement()
                .satisfies(key -> {
                    assertThat(key.sensitive()).isTrue();
                    assertThat(key.type()).isEqualTo(ConfigKeys.Type.SECRET);
                });
        assertThat(telegram)
                .filteredOn(key -> key.path().equals("telegram.allowed_chat_ids"))
                .singleElement()
                .satisfies(key -> assertThat(key.reload()).isEqualTo(ReloadKind.HOT));
    }
}
