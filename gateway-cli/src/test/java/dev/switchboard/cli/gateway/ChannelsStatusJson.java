package dev.switchboard.cli.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** {@code channels status --json} of the running dev gateway, as an operator's second shell reads it. */
final class ChannelsStatusJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ChannelsStatusJson() {}

    /**
     * The entry of account {@code channel.account}, with {@code extraFlags} (e.g. {@code --probe}) on the command
     * line; an assertion error with the whole output when the command fails or the account is not listed.
     */
    static JsonNode account(LocalCli cli, String channel, String account, String... extraFlags) throws IOException {
        List<String> args = new ArrayList<>(List.of("--dev", "channels", "status", "--json"));
        args.addAll(List.of(extraFlags));
        LocalCli.Run run = cli.run(args.toArray(String[]::new));
        assertThat(run.code()).as(run.err()).isZero();
        for (JsonNode entry : JSON.readTree(run.out()).path("channels")) {
            if (entry.path("channel").asText().equals(channel)
                    && entry.path("account").asText().equals(account)) {
                return entry;
            }
        }
        throw new AssertionError("no " + channel + "." + account + " in channels status: " + run.out());
    }
}
