package dev.switchboard.core.http.openai.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * How one API spells a reply: whole, or as a stream of events. Streamed methods are called in
 * order (opening, deltas, then closing or failure), never concurrently.
 */
interface ReplyFormat {
    /** The non-streamed answer of {@code text}. */
    JsonNode whole(String text);

    /** What opens a stream, before its first delta. */
    List<SseEvent> opening();

    SseEvent delta(String text);

    /** What ends a stream that answered {@code text} (the deltas joined). */
    List<SseEvent> closing(String text);

    /** What ends a stream whose run failed after {@code partial} was streamed. */
    List<SseEvent> failure(OpenAiError error, String partial);
}
