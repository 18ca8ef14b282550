package dev.switchboard.core.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A call's params after {@link ParamSpec#validate}: every value has its declared type, so the
 * getters only read. Asking for a param the method did not declare is a bug and throws.
 */
public final class Params {
    private final ParamSpec spec;
    private final ObjectNode values;

    Params(ParamSpec spec, ObjectNode values) {
        this.spec = spec;
        this.values = values;
    }

    /** A required text param. */
    public String text(String name) {
        return optionalText(name).orElseThrow(() -> new IllegalStateException(name + " is not a required param"));
    }

    public Optional<String> optionalText(String name) {
        return value(name).map(JsonNode::asText);
    }

    /** An optional boolean param; false when absent. */
    public boolean flag(String name) {
        return value(name).map(JsonNode::asBoolean).orElse(false);
    }

    public OptionalLong integer(String name) {
        Optional<JsonNode> value = value(name);
        return value.isPresent() ? OptionalLong.of(value.get().asLong()) : OptionalLong.empty();
    }

    private Optional<JsonNode> value(String name) {
        if (spec.param(name).isEmpty()) {
            throw new IllegalStateException(name + " is not a declared param");
        }
        JsonNode value = values.get(name);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
    }
}
