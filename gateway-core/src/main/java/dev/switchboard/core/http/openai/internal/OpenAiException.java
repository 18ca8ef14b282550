package dev.switchboard.core.http.openai.internal;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/** A request the API answers with {@link #error()} instead of a run. */
final class OpenAiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    @SuppressWarnings("serial") // never serialized: it lives while one request is answered
    private final OpenAiError error;

    OpenAiException(OpenAiError error) {
        super(requireNonNull(error, "error is null").message());
        this.error = error;
    }

    static OpenAiException invalid(@Nullable String param, String message) {
        return new OpenAiException(OpenAiError.invalid(param, message));
    }

    OpenAiError error() {
        return error;
    }
}
