package dev.switchboard.cli.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.owner.OwnerRecord;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code gateway status --deep}: asks the running gateway's {@code /readyz} which channel accounts
 * have started. The owner's identity was already verified through {@code /healthz}.
 */
final class ReadinessProbe {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TIMEOUT_MS = 2000;

    private ReadinessProbe() {}

    /** {@code {ready, waiting[]}} as the gateway answered, or {@code {error}} when it did not. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> fetch(OwnerRecord owner) {
        String host = owner.bind().equals("0.0.0.0") || owner.bind().equals("::") ? "127.0.0.1" : owner.bind();
        String url = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":"
                + owner.port().orElse(0) + "/readyz";
        try {
            HttpURLConnection connection =
                    (HttpURLConnection) URI.create(url).toURL().openConnection();
            connection.setConnectTimeout(TIMEOUT_MS);
            connection.setReadTimeout(TIMEOUT_MS);
            try {
                int code = connection.getResponseCode();
                try (InputStream body = code >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
                    return JSON.readValue(body, Map.class);
                }
            } finally {
                connection.disconnect();
            }
        } catch (IOException | RuntimeException e) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("error", url + ": " + e.getMessage());
            return error;
        }
    }
}
