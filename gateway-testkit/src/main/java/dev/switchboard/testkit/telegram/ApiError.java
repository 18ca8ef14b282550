package dev.switchboard.testkit.telegram;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;

/** An error answer in the Bot API's shape; thrown by method handlers, turned into the response body. */
final class ApiError extends RuntimeException {
    final int status;
    final String description;
    final Map<String, Long> parameters;

    ApiError(int status, String description, Map<String, Long> parameters) {
        super(status + " " + description, null, false, false);
        this.status = status;
        this.description = description;
        this.parameters = new TreeMap<>(parameters);
    }

    static ApiError badRequest(String what) {
        return new ApiError(400, "Bad Request: " + what, Map.of());
    }

    static ApiError unauthorized() {
        return new ApiError(401, "Unauthorized", Map.of());
    }

    static ApiError notFound() {
        return new ApiError(404, "Not Found", Map.of());
    }

    ObjectNode body() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("ok", false);
        body.put("error_code", status);
        body.put("description", description);
        if (!parameters.isEmpty()) {
            ObjectNode params = body.putObject("parameters");
            parameters.forEach(params::put);
        }
        return body;
    }
}
