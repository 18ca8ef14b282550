package dev.switchboard.channel.telegram.internal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * The updates of one {@code getUpdates} answer, each with its {@code update_id} checked, so that one
 * bad update is skipped instead of stopping the account.
 *
 * <p>A page whose JSON nests deeper than the parser allows cannot be read as one tree. It is then
 * cut into its updates by {@link JsonScan}, which only counts brackets (no depth limit, no memory
 * per level): every update that parses on its own is read, and of the one that does not, the
 * top-level {@code update_id} is still read, so the offset moves past it.
 */
public final class UpdatePage {
    /** Telegram's ids fit in 52 bits; anything above 2^53 - 1 is not an id a JSON client can hold exactly. */
    static final long MAX_UPDATE_ID = (1L << 53) - 1;

    private final List<Entry> entries;

    private UpdatePage(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * One update of the page.
     *
     * @param position its place in the page, from 1
     * @param updateId its {@code update_id}, when that is usable
     * @param update its JSON, when it could be parsed
     * @param problem what is wrong with it, when something is: such an update is skipped
     */
    public record Entry(int position, OptionalLong updateId, @Nullable JsonNode update, Optional<String> problem) {
        public Entry {
            requireNonNull(updateId, "updateId is null");
            requireNonNull(problem, "problem is null");
        }

        /** How a skip names it: by id when it has one, else by its place in the page. */
        public String name() {
            return updateId.isPresent() ? "update " + updateId.getAsLong() : "update #" + position + " of the page";
        }
    }

    public List<Entry> entries() {
        return entries;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The page from a {@code result} that parsed as one tree. */
    static UpdatePage of(JsonNode result) throws UnreadableAnswerException {
        if (!result.isArray()) {
            throw new UnreadableAnswerException(
                    "getUpdates: result is " + result.getNodeType() + " (expected: an array of Update objects)");
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < result.size(); i++) {
            entries.add(entry(i + 1, result.get(i)));
        }
        return new UpdatePage(entries);
    }

    /**
     * The page from an answer too deep to parse as one tree: each update of {@code result} parsed on
     * its own.
     *
     * @throws UnreadableAnswerException when the answer does not even have the shape {@code
     *     {"ok":true,"result":[...]}}
     */
    static UpdatePage scan(ObjectMapper mapper, String answer, String depthProblem) throws UnreadableAnswerException {
        List<String> raw;
        try {
            JsonScan scan = new JsonScan(answer);
            Optional<String> ok = scan.member("ok");
            Optional<String> result = scan.member("result");
            if (ok.isEmpty() || !ok.get().equals("true") || result.isEmpty()) {
                throw new UnreadableAnswerException("it is not a successful answer with a result");
            }
            raw = new JsonScan(result.get()).elements();
        } catch (UnreadableAnswerException e) {
            throw new UnreadableAnswerException("getUpdates: the answer cannot be parsed (" + depthProblem
                    + "), and its updates cannot be told apart: " + e.getMessage());
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            String text = raw.get(i);
            try {
                entries.add(entry(i + 1, mapper.readTree(text)));
            } catch (JsonProcessingException e) {
                OptionalLong id = OptionalLong.empty();
                Optional<String> idProblem = Optional.empty();
                Optional<String> rawId;
                try {
                    rawId = text.startsWith("{") ? new JsonScan(text).member("update_id") : Optional.empty();
                } catch (UnreadableAnswerException broken) {
                    rawId = Optional.empty();
                }
                if (rawId.isPresent()) {
                    try {
                        JsonNode idNode = mapper.readTree(rawId.get());
                        idProblem = updateIdProblem(idNode);
                        id = idProblem.isPresent() ? OptionalLong.empty() : OptionalLong.of(idNode.asLong());
                    } catch (JsonProcessingException notScalar) {
                        idProblem = Optional.of("update_id is not a number");
                    }
                } else {
                    idProblem = Optional.of("it has no update_id");
                }
                String problem = e instanceof StreamConstraintsException
                        ? depthProblem
                        : "it is not JSON (" + e.getOriginalMessage() + ")";
                entries.add(new Entry(
                        i + 1,
                        id,
                        null,
                        Optional.of(idProblem.map(p -> problem + "; " + p).orElse(problem))));
            }
        }
        return new UpdatePage(entries);
    }

    private static Entry entry(int position, JsonNode update) {
        if (!update.isObject()) {
            return new Entry(
                    position,
                    OptionalLong.empty(),
                    update,
                    Optional.of("it is " + update.getNodeType() + " (expected: an Update object)"));
        }
        Optional<String> problem = updateIdProblem(update.path("update_id"));
        return new Entry(
                position,
                problem.isPresent()
                        ? OptionalLong.empty()
                        : OptionalLong.of(update.path("update_id").asLong()),
                update,
                problem);
    }

    /** Why {@code id} is no usable {@code update_id}: an integer 0..2^53-1, not a string or fraction. */
    private static Optional<String> updateIdProblem(JsonNode id) {
        if (id.isIntegralNumber() && id.canConvertToLong() && id.asLong() >= 0 && id.asLong() <= MAX_UPDATE_ID) {
            return Optional.empty();
        }
        String what = id.isMissingNode() ? "missing" : shown(id);
        return Optional.of("update_id " + what + " is not usable (expected: an integer 0.." + MAX_UPDATE_ID + ")");
    }

    /** A JSON value for a log line: short, so a hostile value cannot flood the log. */
    static String shown(JsonNode value) {
        if (value.isMissingNode()) {
            return "missing";
        }
        String text = value.toString();
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }
}
