package dev.switchboard.core.agent.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.spi.agent.AgentException;
import java.util.HexFormat;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the user sees when an agent run fails (SPEC §6): a short apology with a reference id, never
 * the provider's own message. The full error is logged once, here, under the same reference id, so
 * an operator can find it from the user's screenshot.
 */
public final class AgentFailures {
    private static final Logger LOG = LoggerFactory.getLogger(AgentFailures.class);

    private AgentFailures() {}

    /** A fresh reference id: 8 lower-case hex digits. */
    public static String newReferenceId() {
        byte[] bytes = new byte[4];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * Logs {@code failure} in full under {@code referenceId} and returns the apology for the user,
     * e.g. {@code Sorry, I couldn't answer that: the assistant took too long to answer (ref
     * 7f3a2c1b).} The text depends only on the failure's {@link AgentException.Kind}.
     */
    public static String apology(Throwable failure, String referenceId) {
        requireNonNull(failure, "failure is null");
        requireNonNull(referenceId, "referenceId is null");
        Throwable cause = unwrap(failure);
        if (cause instanceof AgentException agent) {
            if (agent.kind() == AgentException.Kind.ABORTED) {
                LOG.info("agent run aborted (ref {}): {}", referenceId, agent.getMessage());
            } else {
                LOG.warn(
                        "agent run failed (ref {}, {}, retryable={})",
                        referenceId,
                        agent.kind(),
                        agent.retryable(),
                        agent);
            }
            return "Sorry, I couldn't answer that: " + agent.userMessage() + " (ref " + referenceId + ").";
        }
        LOG.error("agent run failed unexpectedly (ref {})", referenceId, cause);
        return "Sorry, I couldn't answer that (ref " + referenceId + ").";
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        if (current instanceof CancellationException) {
            return new AgentException(AgentException.Kind.ABORTED, false, "run cancelled", null, current);
        }
        return current;
    }
}
