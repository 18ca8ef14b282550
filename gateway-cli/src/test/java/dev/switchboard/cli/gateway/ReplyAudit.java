package dev.switchboard.cli.gateway;

import dev.switchboard.cli.gateway.CrashPlatform.Delivery;
import dev.switchboard.cli.gateway.CrashPlatform.MessageKey;
import dev.switchboard.cli.gateway.KillRestartHarness.Kill;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks the replies a platform took against SPEC §6 after kills: every message answered with the
 * right text, none answered twice unless its reply was in flight at a kill (taken by the platform
 * from the killed process, but not yet marked delivered in the store: resent, never dropped), and
 * per conversation the first replies in message order.
 */
final class ReplyAudit {
    private final Map<MessageKey, String> expected;
    private final List<Delivery> deliveries;
    private final Map<MessageKey, Integer> inFlightKills = new HashMap<>();

    /**
     * @param expected every injected message and the reply it must get, in injection order
     * @param deliveries what the platform took, in the order it took them
     */
    ReplyAudit(Map<MessageKey, String> expected, List<Delivery> deliveries, List<Kill> kills) {
        this.expected = new LinkedHashMap<>(expected);
        this.deliveries = List.copyOf(deliveries);
        for (Kill kill : kills) {
            deliveries.stream()
                    .filter(delivery -> kill.undelivered().contains(delivery.replyTo()))
                    .filter(kill::sentByKilledProcess)
                    .map(Delivery::replyTo)
                    .distinct()
                    .forEach(key -> inFlightKills.merge(key, 1, Integer::sum));
        }
    }

    /** Messages with no reply yet, in message order. */
    List<MessageKey> unanswered() {
        Set<MessageKey> answered = deliveries.stream().map(Delivery::replyTo).collect(Collectors.toSet());
        return expected.keySet().stream().filter(key -> !answered.contains(key)).toList();
    }

    /** Replies that were in flight at a kill, with how many kills caught each. */
    Map<MessageKey, Integer> inFlight() {
        return Map.copyOf(inFlightKills);
    }

    /** Every violation, one line each; empty when the run kept SPEC §6. */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        List<MessageKey> lost = unanswered();
        if (!lost.isEmpty()) {
            problems.add(lost.size() + " message(s) lost, never answered: " + lost);
        }
        Map<MessageKey, Integer> counts = new LinkedHashMap<>();
        for (Delivery delivery : deliveries) {
            MessageKey key = delivery.replyTo();
            counts.merge(key, 1, Integer::sum);
            String want = expected.get(key);
            if (want == null) {
                problems.add("a reply to " + key + ", which was never sent");
            } else if (!want.equals(delivery.text())) {
                problems.add("the reply to " + key + " is '" + delivery.text() + "' (expected: '" + want + "')");
            }
        }
        counts.forEach((key, count) -> {
            int allowed = 1 + inFlightKills.getOrDefault(key, 0);
            if (count > allowed) {
                problems.add(key + " answered " + count + " times (in flight at " + (allowed - 1)
                        + " kill(s), so at most " + allowed + " allowed)");
            }
        });
        problems.addAll(outOfOrder());
        return problems;
    }

    /** Per conversation, the first reply to each message must come in message order. */
    private List<String> outOfOrder() {
        Map<MessageKey, Integer> position = new HashMap<>();
        expected.keySet().forEach(key -> position.put(key, position.size()));
        Map<String, MessageKey> lastFirstReply = new HashMap<>();
        Set<MessageKey> seen = new HashSet<>();
        Set<String> reported = new HashSet<>();
        List<String> problems = new ArrayList<>();
        for (Delivery delivery : deliveries) {
            MessageKey key = delivery.replyTo();
            if (!position.containsKey(key) || !seen.add(key)) {
                continue; // unexpected (reported above) or a resend
            }
            MessageKey previous = lastFirstReply.put(key.conversation(), key);
            if (previous != null && position.get(previous) > position.get(key) && reported.add(key.conversation())) {
                problems.add("conversation " + key.conversation() + " got the first reply to message " + key.messageId()
                        + " after the one to the later message " + previous.messageId());
            }
        }
        return problems;
    }
}
