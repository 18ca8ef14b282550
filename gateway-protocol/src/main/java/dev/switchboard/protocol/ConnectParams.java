package dev.switchboard.protocol;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The params of {@code connect}. The {@code client} block is informational: any id and mode are
 * accepted.
 *
 * @param minProtocol lowest protocol version the client speaks
 * @param maxProtocol highest protocol version the client speaks
 * @param client who is connecting
 * @param role {@code operator}
 * @param scopes scopes the client asks for
 * @param token the shared token, if the client sends one (a secret: never print it)
 * @param password the shared password, if the client sends one (a secret: never print it)
 */
public record ConnectParams(
        int minProtocol,
        int maxProtocol,
        ClientInfo client,
        String role,
        List<String> scopes,
        Optional<String> token,
        Optional<String> password) {
    public static final String OPERATOR = "operator";

    public ConnectParams {
        requireNonNull(client, "client is null");
        requireNonNull(role, "role is null");
        scopes = List.copyOf(scopes);
        requireNonNull(token, "token is null");
        requireNonNull(password, "password is null");
    }

    /** {@code client {id, version, platform, mode}}. */
    public record ClientInfo(String id, String version, String platform, String mode) {
        public ClientInfo {
            requireNonNull(id, "id is null");
            requireNonNull(version, "version is null");
            requireNonNull(platform, "platform is null");
            requireNonNull(mode, "mode is null");
        }
    }

    /** Reads and checks the params of a connect request. */
    public static ConnectParams from(ObjectNode params) {
        int min = version(params, "minProtocol");
        int max = version(params, "maxProtocol");
        if (min > max) {
            throw ProtocolException.invalid("invalid connect params: minProtocol " + min + " > maxProtocol " + max);
        }
        JsonNode client = params.path("client");
        if (!client.isObject()) {
            throw ProtocolException.invalid(
                    "invalid connect params: client is " + FrameCodec.describe(params.get("client"))
                            + " (expected: an object {id, version, platform, mode})");
        }
        ClientInfo info = new ClientInfo(
                client.path("id").asText("unknown"),
                client.path("version").asText(""),
                client.path("platform").asText(""),
                client.path("mode").asText(""));
        String role = params.path("role").asText(OPERATOR);
        if (!role.equals(OPERATOR)) {
            throw ProtocolException.invalid("invalid connect params: role '" + role + "' (expected: operator)");
        }
        List<String> scopes = new ArrayList<>();
        JsonNode scopeList = params.get("scopes");
        if (scopeList != null && !scopeList.isNull()) {
            if (!scopeList.isArray()) {
                throw ProtocolException.invalid("invalid connect params: scopes is " + FrameCodec.describe(scopeList)
                        + " (expected: an array of strings)");
            }
            scopeList.forEach(scope -> scopes.add(scope.asText()));
        }
        JsonNode auth = params.path("auth");
        return new ConnectParams(min, max, info, role, scopes, text(auth, "token"), text(auth, "password"));
    }

    public ObjectNode toJson() {
        return FrameCodec.json().valueToTree(toPlain());
    }

    /**
     * The params as plain values (maps, lists, strings, numbers), in the order of {@link #toJson()}:
     * for a client that sends them without jackson-databind (the CLI's quick {@code health}).
     */
    public Map<String, Object> toPlain() {
        Map<String, Object> clientJson = new LinkedHashMap<>();
        clientJson.put("id", client.id());
        clientJson.put("version", client.version());
        clientJson.put("platform", client.platform());
        clientJson.put("mode", client.mode());
        Map<String, Object> auth = new LinkedHashMap<>();
        if (token.isPresent()) { // no lambdas here: the quick health's start-up
            auth.put("token", token.get());
        }
        if (password.isPresent()) {
            auth.put("password", password.get());
        }
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("minProtocol", minProtocol);
        params.put("maxProtocol", maxProtocol);
        params.put("client", clientJson);
        params.put("role", role);
        params.put("scopes", scopes);
        params.put("auth", auth);
        return params;
    }

    @Override
    public String toString() {
        return "ConnectParams[" + minProtocol + ".." + maxProtocol + ", " + client + ", role=" + role + ", scopes="
                + scopes + ", token=" + token.map(t -> "<redacted>").orElse("-") + ", password="
                + password.map(p -> "<redacted>").orElse("-") + "]";
    }

    private static int version(ObjectNode params, String field) {
        JsonNode value = params.get(field);
        if (value == null || !value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 1) {
            throw ProtocolException.invalid("invalid connect params: " + field + " is " + FrameCodec.describe(value)
                    + " (expected: an integer >= 1)");
        }
        return value.asInt();
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() && !value.asText().isEmpty() ? Optional.of(value.asText()) : Optional.empty();
    }
}
