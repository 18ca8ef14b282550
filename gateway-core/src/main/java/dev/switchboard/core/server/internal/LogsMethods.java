package dev.switchboard.core.server.internal;

import static dev.switchboard.core.server.internal.ParamSpec.optional;
import static java.util.Objects.requireNonNull;

import dev.switchboard.core.logs.LogCursor;
import dev.switchboard.core.logs.LogDirectory;
import dev.switchboard.core.logs.LogQuery;
import dev.switchboard.protocol.ErrorCodes;
import dev.switchboard.protocol.Methods;
import dev.switchboard.protocol.Payloads;
import dev.switchboard.protocol.ProtocolException;
import dev.switchboard.protocol.Scopes;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * {@code logs.tail}: the newest lines of the gateway's log file, or those after a cursor (SPEC §10).
 * Reading files may take a while, so it runs on a worker.
 */
public final class LogsMethods {
    private static final ParamSpec.Type LEVEL = new ParamSpec.Type(
            "one of " + String.join(", ", LogQuery.LEVELS),
            value -> value.isTextual() && LogQuery.LEVELS.contains(upper(value.asText())));
    private static final ParamSpec.Type TIME = new ParamSpec.Type(
            "an ISO-8601 time with an offset, e.g. 2026-12-03T09:00:00Z",
            value -> value.isTextual() && time(value.asText()).isPresent());
    private static final ParamSpec PARAMS = ParamSpec.of(
            optional("cursor", ParamSpec.Type.TEXT),
            optional("limit", ParamSpec.Type.integer(1, LogQuery.MAX_LIMIT)),
            optional("level", LEVEL),
            optional("since", TIME));

    private final ControlPlane plane;

    public LogsMethods(ControlPlane plane) {
        this.plane = requireNonNull(plane, "plane is null");
    }

    public List<ControlMethod> methods() {
        return List.of(
                ControlMethod.simple(Methods.LOGS_TAIL, Scopes.READ, PARAMS, ControlMethod.ALWAYS, (params, caller) -> {
                    LogDirectory logs = plane.logs()
                            .orElseThrow(() -> new ProtocolException(
                                    ErrorCodes.UNAVAILABLE,
                                    "this gateway writes no log file (it was started without a log directory)"));
                    LogQuery query = new LogQuery(
                            params.optionalText("cursor").map(LogsMethods::cursor),
                            (int) params.integer("limit").orElse(LogQuery.DEFAULT_LIMIT),
                            params.optionalText("level"),
                            params.optionalText("since").flatMap(LogsMethods::time));
                    try {
                        return Payloads.toJson(logs.read(query));
                    } catch (UncheckedIOException e) {
                        throw new ProtocolException(ErrorCodes.UNAVAILABLE, String.valueOf(e.getMessage()));
                    }
                }));
    }

    private static LogCursor cursor(String text) {
        try {
            return LogCursor.parse(text);
        } catch (IllegalArgumentException e) {
            throw ProtocolException.invalid(String.valueOf(e.getMessage()));
        }
    }

    /** An instant written with an offset ({@code Z}, {@code +08:00}); empty when it is not one. */
    private static Optional<Instant> time(String text) {
        try {
            return Optional.of(OffsetDateTime.parse(text.trim()).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static String upper(String text) {
        return text.trim().toUpperCase(java.util.Locale.ROOT);
    }
}
