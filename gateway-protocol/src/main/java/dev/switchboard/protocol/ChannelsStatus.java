package dev.switchboard.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

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

    /**
     * The payload in plain JSON values ({@link PlainJson#read}) as {@link FrameCodec#json()} reads
     * it, without jackson-databind.
     *
     * @throws IllegalArgumentException naming the field, when {@code json} is not a channels.status
     *     payload
     */
    public static ChannelsStatus fromPlain(Map<?, ?> json) {
        return PlainStatus.readChannels(json);
    }

    /** As plain JSON values, which {@link PlainJson#pretty} prints as {@link FrameCodec#json()} does. */
    public Map<String, @Nullable Object> toPlain() {
        return PlainStatus.write(this);
    }

    /** {@code channels} as plain JSON values (what {@code status --json} embeds). */
    public static List<Object> toPlain(List<ChannelStatus> channels) {
        return PlainStatus.write(channels);
    }
}
