package dev.switchboard.core.owner.internal;

import dev.switchboard.core.owner.OwnerRecord;
import dev.switchboard.core.owner.OwnerRecord.ChannelStatus;
import dev.switchboard.core.owner.OwnerRecord.Mode;
import dev.switchboard.core.owner.OwnerRecord.Phase;
import dev.switchboard.core.owner.PortSource;
import dev.switchboard.core.owner.ServiceOwner;
import dev.switchboard.protocol.IsoInstants;
import dev.switchboard.protocol.PlainJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * owner.json's format, both ways, over {@link PlainJson}: {@code gateway status} reads it at the JVM
 * floor. Field names are the record's component names in declaration order; absent optional values
 * are {@code null}; instants are ISO-8601 strings; {@code pidStartTime} is epoch milliseconds; enums
 * are their lower-case wire names. Unknown fields are ignored, so an older CLI can inspect a newer
 * gateway.
 */
public final class OwnerJson {
    private OwnerJson() {}

    /** The record as plain JSON values, in the documented field order. */
    public static Map<String, @Nullable Object> toMap(OwnerRecord owner) {
        Map<String, @Nullable Object> json = new LinkedHashMap<>();
        json.put("instanceId", owner.instanceId());
        json.put("pid", owner.pid());
        json.put(
                "pidStartTime",
                owner.pidStartTime().isPresent() ? owner.pidStartTime().getAsLong() : null);
        json.put("mode", owner.mode().wireName());
        json.put("session", owner.session().orElse(null));
        json.put("version", owner.version());
        json.put("configPath", owner.configPath().orElse(null));
        json.put("configChecksum", owner.configChecksum().orElse(null));
        json.put("stateDir", owner.stateDir());
        json.put("bind", owner.bind());
        json.put("port", owner.port().isPresent() ? owner.port().getAsInt() : null);
        json.put("portSource", owner.portSource().wireName());
        json.put("startedAt", IsoInstants.format(owner.startedAt()));
        json.put("heartbeatAt", IsoInstants.format(owner.heartbeatAt()));
        json.put("phase", owner.phase().wireName());
        List<Map<String, @Nullable Object>> channels = new ArrayList<>();
        for (ChannelStatus channel : owner.channels()) {
            Map<String, @Nullable Object> c = new LinkedHashMap<>();
            c.put("channel", channel.channel());
            c.put("account", channel.account());
            c.put("state", channel.state());
            c.put("lastError", channel.lastError().orElse(null));
            channels.add(c);
        }
        json.put("channels", channels);
        json.put("shutdownReason", owner.shutdownReason().orElse(null));
        json.put("lastError", owner.lastError().orElse(null));
        json.put("service", owner.service().map(OwnerJson::service).orElse(null));
        return json;
    }

    /** owner.json's bytes: pretty-printed, as an operator reads them. */
    public static byte[] write(OwnerRecord owner) {
        return PlainJson.pretty(toMap(owner)).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Parses owner.json.
     *
     * @throws IOException naming the field and what was expected when the content is not a record
     */
    public static OwnerRecord read(byte[] bytes) throws IOException {
        Object value = PlainJson.read(bytes);
        if (value == null) {
            throw new IOException("it holds JSON null");
        }
        Fields json = new Fields(object(value, "owner.json"), "");
        try {
            OwnerRecord.Builder owner = OwnerRecord.builder()
                    .instanceId(json.string("instanceId"))
                    .pid(json.number("pid"))
                    .pidStartTime(json.optionalNumber("pidStartTime"))
                    .mode(json.wireName("mode", Mode.values()))
                    .session(json.optionalString("session"))
                    .version(json.string("version"))
                    .configPath(json.optionalString("configPath"))
                    .configChecksum(json.optionalString("configChecksum"))
                    .stateDir(json.string("stateDir"))
                    .bind(json.string("bind"))
                    .portSource(json.wireName("portSource", PortSource.values()))
                    .startedAt(json.instant("startedAt"))
                    .heartbeatAt(json.instant("heartbeatAt"))
                    .phase(json.wireName("phase", Phase.values()))
                    .channels(channels(json))
                    .shutdownReason(json.optionalString("shutdownReason"))
                    .lastError(json.optionalString("lastError"))
                    .service(service(json.values.get("service")));
            OptionalLong port = json.optionalNumber("port");
            if (port.isPresent()) {
                if (port.getAsLong() < 0 || port.getAsLong() > 65535) {
                    throw new IOException("port: " + port.getAsLong() + " (expected: 0..65535)");
                }
                owner.port((int) port.getAsLong());
            }
            return owner.build();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static List<ChannelStatus> channels(Fields json) throws IOException {
        Object value = json.values.get("channels");
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new IOException("channels: expected an array");
        }
        List<ChannelStatus> channels = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Fields channel = new Fields(object(list.get(i), "channels[" + i + "]"), "channels[" + i + "].");
            channels.add(new ChannelStatus(
                    channel.string("channel"),
                    channel.string("account"),
                    channel.string("state"),
                    Optional.ofNullable(channel.optionalString("lastError"))));
        }
        return channels;
    }

    private static Map<String, @Nullable Object> service(ServiceOwner service) {
        Map<String, @Nullable Object> json = new LinkedHashMap<>();
        json.put("manager", service.manager().wireName());
        json.put("name", service.name());
        return json;
    }

    /** {@code service}: null (as written by gateways before it existed, too) or {@code {manager, name}}. */
    private static Optional<ServiceOwner> service(@Nullable Object value) throws IOException {
        if (value == null) {
            return Optional.empty();
        }
        Fields service = new Fields(object(value, "service"), "service.");
        return Optional.of(
                new ServiceOwner(service.wireName("manager", ServiceOwner.Manager.values()), service.string("name")));
    }

    private static Map<?, ?> object(@Nullable Object value, String what) throws IOException {
        if (value instanceof Map<?, ?> map) {
            return map;
        }
        throw new IOException(what + ": expected an object");
    }

    /** Typed access to one JSON object's fields, naming the field in every error. */
    private record Fields(Map<?, ?> values, String prefix) {
        String string(String name) throws IOException {
            String value = optionalString(name);
            if (value == null) {
                throw new IOException(prefix + name + ": missing (expected a string)");
            }
            return value;
        }

        @Nullable
        String optionalString(String name) throws IOException {
            Object value = values.get(name);
            if (value == null || value instanceof String) {
                return (String) value;
            }
            throw new IOException(prefix + name + ": " + value + " (expected a string)");
        }

        long number(String name) throws IOException {
            OptionalLong value = optionalNumber(name);
            if (value.isEmpty()) {
                throw new IOException(prefix + name + ": missing (expected a number)");
            }
            return value.getAsLong();
        }

        OptionalLong optionalNumber(String name) throws IOException {
            Object value = values.get(name);
            if (value == null) {
                return OptionalLong.empty();
            }
            if (value instanceof Long l) {
                return OptionalLong.of(l);
            }
            throw new IOException(prefix + name + ": " + value + " (expected an integer)");
        }

        Instant instant(String name) throws IOException {
            String text = string(name);
            try {
                return IsoInstants.parse(text);
            } catch (DateTimeException e) {
                throw new IOException(prefix + name + ": \"" + text + "\" (expected an ISO-8601 instant)", e);
            }
        }

        <E extends Enum<E>> E wireName(String name, E[] values) throws IOException {
            String text = string(name);
            for (E value : values) {
                if (value.name().toLowerCase(Locale.ROOT).equals(text)) {
                    return value;
                }
            }
            throw new IOException(prefix + name + ": \"" + text + "\" (expected one of "
                    + Arrays.stream(values)
                            .map(v -> v.name().toLowerCase(Locale.ROOT))
                            .toList()
                    + ")");
        }
    }
}
