package dev.switchboard.channel.wecom.internal;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The callback {@code req_id} each received message's reply must echo, by the message's {@code msgid} (the
 * {@code replyToPlatformMessageId} the gateway hands back with the reply). In memory: after a restart of the
 * account a reply has no {@code req_id} and goes out as a proactive message. Bounded: only the newest {@link
 * #CAPACITY} are kept, and a {@code req_id} older than the platform's reply window is of no use. Thread-safe.
 */
final class ReplyTargets {
    /** Messages answered within their reply window at any one time: far more than one account receives. */
    static final int CAPACITY = 10_000;
    /** How long the platform takes replies on a callback's {@code req_id} (about 6 minutes). */
    static final Duration REPLY_WINDOW = Duration.ofMinutes(6);

    /** A callback to reply on. */
    record Target(String reqId, Instant receivedAt) {
        Target {
            requireNonNull(reqId, "reqId is null");
            requireNonNull(receivedAt, "receivedAt is null");
        }
    }

    private final Map<String, Target> targets = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Target> eldest) {
            return size() > CAPACITY;
        }
    };

    /** The newest delivery of {@code msgid} wins: a redelivery's {@code req_id} is the freshest. */
    synchronized void remember(String msgid, String reqId, Instant receivedAt) {
        targets.remove(msgid);
        targets.put(msgid, new Target(reqId, receivedAt));
    }

    /** The callback to reply on, while its reply window may still be open. */
    synchronized Optional<Target> find(String msgid, Instant now) {
        Target target = targets.get(msgid);
        if (target == null) {
            return Optional.empty();
        }
        if (Duration.between(target.receivedAt(), now).compareTo(REPLY_WINDOW) > 0) {
            targets.remove(msgid);
            return Optional.empty();
        }
        return Optional.of(target);
    }

    synchronized void forget(String msgid) {
        targets.remove(msgid);
    }
}
