package com.example.relay;

import dev.switchboard.testkit.tck.TckPlatform;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The channel TCK's view of a {@link FakeRelay}: chat {@code room-1} is allowed, {@code room-2} never is. */
final class RelayTckPlatform implements TckPlatform {
    private final FakeRelay relay = FakeRelay.start("relay-token-for-the-tck");

    private record Said(String eventId) implements UserMessage {}

    /** Events Relay could deliver that no channel can turn into a message; CHAT stands for the conversation. */
    private static final Map<String, String> MALFORMED = Map.of(
            "an event without an id", "{\"chat\":\"CHAT\",\"from\":\"alice\",\"text\":\"no id\"}",
            "an event whose text is not a string", "{\"id\":\"bad-1\",\"chat\":\"CHAT\",\"from\":\"alice\",\"text\":42}",
            "an event that is not JSON", "{\"id\": \"bad-2\", \"chat\": \"CHAT\", \"text\": ");

    FakeRelay relay() {
        return relay;
    }

    @Override
    public String channelId() {
        return "relay";
    }

    @Override
    public String accountHocon(List<String> allowed) {
        String chats = allowed.stream().map(chat -> "\"" + chat + "\"").collect(Collectors.joining(", "));
        return "base_url = \"" + relay.baseUrl() + "\"\n"
                + "token = \"" + relay.token() + "\"\n"
                + "poll_wait = 5s\n"
                + "allowed_chats = [" + chats + "]\n";
    }

    @Override
    public String allowedConversation() {
        return "room-1";
    }

    @Override
    public String otherConversation() {
        return "room-2";
    }

    @Override
    public UserMessage userSays(String conversation, String text) {
        return new Said(relay.userSays(conversation, "alice", text));
    }

    @Override
    public void redeliver(UserMessage message) {
        relay.redeliver(((Said) message).eventId());
    }

    @Override
    public List<String> sentTexts(String conversation) {
        return relay.sentTexts(conversation);
    }

    @Override
    public void breakReceiveConnection() {
        relay.breakPolls(2);
    }

    @Override
    public String refuseNextSend(SendRefusal refusal) {
        FakeRelay.SendFault fault =
                switch (refusal) {
                    case SERVER_ERROR -> new FakeRelay.SendFault(503, "relay is restarting", 0);
                    case RATE_LIMITED -> new FakeRelay.SendFault(429, "slow down", 1);
                    case PERMANENT -> new FakeRelay.SendFault(404, "no such chat", 0);
                };
        relay.failNextSends(fault);
        return fault.error();
    }

    @Override
    public List<String> malformedPayloads() {
        return List.copyOf(MALFORMED.keySet());
    }

    @Override
    public void deliverMalformed(String conversation, String name) {
        String event = MALFORMED.get(name);
        if (event == null) {
            throw new IllegalArgumentException("malformed payload: " + name + " (expected one of " + MALFORMED.keySet() + ")");
        }
        relay.rawEvent(event.replace("CHAT", conversation));
    }

    @Override
    public int openConnections() {
        return relay.heldPolls();
    }

    @Override
    public List<InvalidSettings> invalidAccountSettings() {
        return List.of(
                new InvalidSettings(
                        "base_url = \"ftp://example\"\ntoken = \"t\"\nallowed_chats = [\"room-1\"]", "base_url"),
                new InvalidSettings("base_url = \"" + relay.baseUrl() + "\"\nallowed_chats = [\"room-1\"]", "token"),
                new InvalidSettings(
                        "base_url = \"" + relay.baseUrl() + "\"\ntoken = \"t\"\npoll_wait = 10m\n"
                                + "allowed_chats = [\"room-1\"]",
                        "poll_wait"));
    }

    @Override
    public Set<String> platformThreadPrefixes() {
        return Set.of("fake-relay-", "HTTP-Dispatcher");
    }

    @Override
    public void close() {
        relay.close();
    }
}
