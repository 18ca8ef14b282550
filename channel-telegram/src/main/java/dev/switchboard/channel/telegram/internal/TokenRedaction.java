package dev.switchboard.channel.telegram.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps the bot token out of text. Bot API URLs carry the token in their path ({@code
 * /bot<token>/getUpdates}), so any message built from a URL or from an HTTP library's exception
 * passes through here before it is logged, reported or thrown.
 */
public final class TokenRedaction {
    private static final Pattern BOT_PATH = Pattern.compile("/bot[0-9]+:[^/\\s]*");
    private static final Pattern TOKEN_SHAPE = Pattern.compile("\\b[0-9]{1,20}:[A-Za-z0-9_-]{30,}");

    private final String token;

    public TokenRedaction(String token) {
        this.token = token;
    }

    public String redact(String text) {
        if (text == null) {
            return "";
        }
        String result = token.isEmpty() ? text : text.replace(token, "<redacted>");
        result = BOT_PATH.matcher(result).replaceAll(Matcher.quoteReplacement("/bot<redacted>"));
        return TOKEN_SHAPE.matcher(result).replaceAll("<redacted>");
    }

    /** A one-line, token-free description of a failure: its message, or its type when it has none. */
    public String describe(Throwable e) {
        String message = e.getMessage();
        String text = message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
        return redact(text);
    }
}
