package dev.switchboard.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@link Status}, {@link ChannelsStatus} and {@link ChannelStatus} to and from plain JSON values
 * ({@link PlainJson}) without jackson-databind, with {@link FrameCodec#json()}'s rules as {@link
 * PlainHealth} has them: what the quick {@code status} and {@code channels status} read and print.
 */
final class PlainStatus {
    private PlainStatus() {}

    static Status readStatus(Map<?, ?> payload) {
        PlainFields json = PlainFields.of(payload);
        List<Status.Channel> channels = new ArrayList<>();
        for (PlainFields channel : json.objects("channels")) {
            channels.add(
                    new Status.Channel(channel.string("channel"), channel.string("account"), channel.state("state")));
        }
        return new Status(
                json.string("instanceId"),
                json.string("version"),
                json.number("pid"),
                json.string("mode"),
                json.optionalString("session"),
                json.number("uptimeMs"),
                json.instant("startedAt"),
                json.string("stateDir"),
                json.optionalString("configPath"),
                json.string("bind"),
                json.optionalInteger("port"),
                json.string("authMode"),
                channels,
                json.integer("connections"),
                PlainHealth.cluster(json.object("cluster")));
    }

    static Map<String, @Nullable Object> write(Status status) {
        Map<String, @Nullable Object> json = new LinkedHashMap<>();
        json.put("instanceId", status.instanceId());
        json.put("version", status.version());
        json.put("pid", status.pid());
        json.put("mode", status.mode());
        json.put("session", status.session().orElse(null));
        json.put("uptimeMs", status.uptimeMs());
        json.put("startedAt", IsoInstants.format(status.startedAt()));
        json.put("stateDir", status.stateDir());
        json.put("configPath", status.configPath().orElse(null));
        json.put("bind", status.bind());
        if (status.port().isPresent()) {
            json.put("port", status.port().getAsInt());
        }
        json.put("authMode", status.authMode());
        List<Object> channels = new ArrayList<>();
        for (Status.Channel channel : status.channels()) {
            Map<String, @Nullable Object> entry = new LinkedHashMap<>();
            entry.put("channel", channel.channel());
            entry.put("account", channel.account());
            entry.put("state", channel.state().wireName());
            channels.add(entry);
        }
        json.put("channels", channels);
        json.put("connections", status.connections());
        if (status.cluster().isPresent()) {
            json.put("cluster", PlainHealth.write(status.cluster().get()));
        }
        return json;
    }

    static ChannelsStatus readChannels(Map<?, ?> payload) {
        PlainFields json = PlainFields.of(payload);
        List<ChannelStatus> channels = new ArrayList<>();
        for (PlainFields channel : json.objects("channels")) {
            channels.add(channel(channel));
        }
        return new ChannelsStatus(channels, json.strings("unreachable"));
    }

    static Map<String, @Nullable Object> write(ChannelsStatus status) {
        Map<String, @Nullable Object> json = new LinkedHashMap<>();
        json.put("channels", write(status.channels()));
        if (!status.unreachable().isEmpty()) {
            json.put("unreachable", status.unreachable());
        }
        return json;
    }

    static List<Object> write(List<ChannelStatus> channels) {
        List<Object> json = new ArrayList<>(channels.size());
        for (ChannelStatus channel : channels) {
            json.add(write(channel));
        }
        return json;
    }

    private static ChannelStatus channel(PlainFields json) {
        return new ChannelStatus(
                json.string("channel"),
                json.string("account"),
                json.state("state"),
                json.optionalString("lastError"),
                json.instant("since"),
                json.optionalInstant("lastInboundAt"),
                json.optionalInstant("lastOutboundAt"),
                json.number("restarts"),
                json.number("inbound"),
                json.number("dropped"),
                json.number("outbound"),
                json.number("failed"),
                json.optionalInstant("resumesAt"),
                PlainHealth.probe(json.object("probe")));
    }

    private static Map<String, @Nullable Object> write(ChannelStatus channel) {
        Map<String, @Nullable Object> json = new LinkedHashMap<>();
        json.put("channel", channel.channel());
        json.put("account", channel.account());
        json.put("state", channel.state().wireName());
        json.put("lastError", channel.lastError().orElse(null));
        json.put("since", IsoInstants.format(channel.since()));
        json.put("lastInboundAt", text(channel.lastInboundAt()));
        json.put("lastOutboundAt", text(channel.lastOutboundAt()));
        json.put("restarts", channel.restarts());
        json.put("inbound", channel.inbound());
        json.put("dropped", channel.dropped());
        json.put("outbound", channel.outbound());
        json.put("failed", channel.failed());
        json.put("resumesAt", text(channel.resumesAt()));
        if (channel.probe().isPresent()) {
            json.put("probe", PlainHealth.write(channel.probe().get()));
        }
        return json;
    }

    private static @Nullable String text(Optional<java.time.Instant> instant) {
        return instant.isPresent() ? IsoInstants.format(instant.get()) : null;
    }
}
