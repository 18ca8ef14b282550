package dev.switchboard.protocol;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The payload of a successful {@code connect}: who the gateway is, what it serves, a snapshot of its
 * state, what this socket may do, and the limits in force (docs/protocol.md, hello-ok).
 *
 * @param protocol the protocol version the gateway speaks on this socket
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"type"})
public record HelloOk(int protocol, Server server, Features features, Snapshot snapshot, Auth auth, Policy policy) {
    /** The payload's {@code type}. */
    public static final String TYPE = "hello-ok";

    public HelloOk {
        requireNonNull(server, "server is null");
        requireNonNull(features, "features is null");
        requireNonNull(snapshot, "snapshot is null");
        requireNonNull(auth, "auth is null");
        requireNonNull(policy, "policy is null");
    }

    /** Always {@value #TYPE}. */
    @JsonProperty("type")
    public String type() {
        return TYPE;
    }

    /** {@code server}: the gateway's version, its instance (random per start) and this connection's id. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Server(String version, String instanceId, String connId) {
        public Server {
            requireNonNull(version, "version is null");
            requireNonNull(instanceId, "instanceId is null");
            requireNonNull(connId, "connId is null");
        }
    }

    /** {@code features}: the methods and events this gateway serves. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Features(List<String> methods, List<String> events) {
        public Features {
            methods = List.copyOf(methods);
            events = List.copyOf(events);
        }
    }

    /**
     * {@code snapshot}: the state a client starts from.
     *
     * @param presence at most 100 connected clients
     * @param presenceCount how many clients are connected
     * @param health the health snapshot; empty ({@code {}} on the wire) before the first one
     * @param uptimeMs since the gateway started
     * @param configPath the config file; empty when it runs on built-in defaults
     * @param authMode {@code none}, {@code token} or {@code password}
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Snapshot(
            List<PresenceEntry> presence,
            @JsonInclude(JsonInclude.Include.NON_ABSENT) OptionalInt presenceCount,
            @JsonSerialize(using = EmptyObjectWhenAbsent.class) @JsonDeserialize(using = AbsentWhenEmptyObject.class)
                    Optional<Health> health,
            StateVersion stateVersion,
            long uptimeMs,
            Optional<String> configPath,
            String stateDir,
            String authMode) {
        public Snapshot {
            presence = List.copyOf(presence);
            requireNonNull(presenceCount, "presenceCount is null");
            requireNonNull(health, "health is null");
            requireNonNull(stateVersion, "stateVersion is null");
            requireNonNull(configPath, "configPath is null");
            requireNonNull(stateDir, "stateDir is null");
            requireNonNull(authMode, "authMode is null");
        }
    }

    /** {@code auth}: the role and the scopes this socket holds. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Auth(String role, List<String> scopes) {
        public Auth {
            requireNonNull(role, "role is null");
            scopes = List.copyOf(scopes);
        }
    }

    /** {@code policy}: the limits in force on this socket. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Policy(long maxPayload, long maxBufferedBytes, long tickIntervalMs) {}

    /** Writes an absent health snapshot as {@code {}}, as the wire has it. */
    static final class EmptyObjectWhenAbsent extends JsonSerializer<Optional<Health>> {
        @Override
        public void serialize(Optional<Health> value, JsonGenerator generator, SerializerProvider provider)
                throws IOException {
            if (value.isPresent()) {
                provider.defaultSerializeValue(value.get(), generator);
            } else {
                generator.writeStartObject();
                generator.writeEndObject();
            }
        }
    }

    /** Reads {@code {}} (or null, or nothing) as an absent health snapshot. */
    static final class AbsentWhenEmptyObject extends JsonDeserializer<Optional<Health>> {
        @Override
        public Optional<Health> deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonNode node = context.readTree(parser);
            return node.isObject() && node.isEmpty()
                    ? Optional.empty()
                    : Optional.of(context.readTreeAsValue(node, Health.class));
        }

        @Override
        public Optional<Health> getNullValue(DeserializationContext context) {
            return Optional.empty();
        }
    }
}
