package dev.switchboard.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The answer of {@code channels.status}: every running account. On a cluster replica with {@code
 * probe}, the accounts other replicas own are included as their owners report them, and {@code
 * unreachable} names the ones no owner answered for (docs/cluster.md).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChannelsStatus(
        List<ChannelStatus> channels, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> unreachable) {
    public ChannelsStatus {
        channels = List.copyOf(channels);
        unreachable = unreachable == null ? List.of() : List.copyOf(unreachable);
    }

    public ChannelsStatus(List<ChannelStatus> channels) {
        this(channels, List.of());
    }
}
