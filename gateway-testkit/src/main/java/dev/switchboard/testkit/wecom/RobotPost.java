package dev.switchboard.testkit.wecom;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * One message a group robot posted to its group: {@code content} is the text or markdown a user reads (the raw
 * JSON object for the other types); the mention lists are the text message's {@code mentioned_list} and {@code
 * mentioned_mobile_list}.
 */
public record RobotPost(
        String msgType, String content, List<String> mentionedList, List<String> mentionedMobileList, Instant at) {
    public RobotPost {
        requireNonNull(msgType, "msgType is null");
        requireNonNull(content, "content is null");
        mentionedList = List.copyOf(mentionedList);
        mentionedMobileList = List.copyOf(mentionedMobileList);
        requireNonNull(at, "at is null");
    }
}
