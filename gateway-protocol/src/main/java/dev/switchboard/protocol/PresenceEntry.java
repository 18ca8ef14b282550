package dev.switchboard.protocol;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Optional;

/**
 * One connected client, as {@code system-presence} and {@code hello-ok.snapshot.presence} list it.
 * The client fields are absent for a socket that has not finished its handshake.
 *
 * @param connId the gateway's id of the connection
 * @param ip the client's address
 * @param ts when it connected, epoch ms
 * @param client the client's id ({@code connect} params {@code client.id})
 * @param scopes the scopes the socket holds (left out of the JSON when it holds none)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PresenceEntry(
        String connId,
        @JsonInclude(JsonInclude.Include.NON_ABSENT) Optional<String> ip,
        long ts,
        @JsonInclude(JsonInclude.Include.NON_ABSENT) Optional<String> client,
        @JsonInclude(JsonInclude.Include.NON_ABSENT) Optional<String> version,
        @JsonInclude(JsonInclude.Include.NON_ABSENT) Optional<String> platform,
        @JsonInclude(JsonInclude.Include.NON_ABSENT) Optional<String> mode,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> scopes) {
    public PresenceEntry {
        requireNonNull(connId, "connId is null");
        requireNonNull(ip, "ip is null");
        requireNonNull(client, "client is null");
        requireNonNull(version, "version is null");
        requireNonNull(platform, "platform is null");
        requireNonNull(mode, "mode is null");
        scopes = List.copyOf(scopes);
    }
}
