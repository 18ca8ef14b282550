package dev.switchboard.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** The answer of {@code channels.status}: every running account. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChannelsStatus(List<ChannelStatus> channels) {
    public ChannelsStatus {
        channels = List.copyOf(channels);
    }
}
