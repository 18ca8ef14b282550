package dev.switchboard.testkit.channel;

import java.util.Locale;

/**
 * Sources of small channel providers to compile into a {@link PluginJar}: channels as a third party
 * writes them, against the SPI only. Each states {@code SpiVersion.CURRENT} as compiled in, as every
 * provider should; a test that needs a skew replaces that expression in the source.
 */
public final class PluginChannels {
    /** The expression each source's {@code spiVersion()} returns. */
    public static final String SPI_VERSION = "SpiVersion.CURRENT";

    private PluginChannels() {}

    /**
     * A reply-loop channel {@code id} (display name: the id capitalised) with account keys {@code
     * allowed_chat_ids} (its allowlist) and {@code token} (a secret); its adapter reports connected,
     * receives nothing and sends nothing.
     */
    public static String minimal(String className, String id) {
        return packageLine(className)
                + """
                import dev.switchboard.spi.*;
                import java.util.Set;

                public final class %1$s implements ChannelProvider {
                    @Override public int spiVersion() { return %4$s; }
                    @Override public String id() { return "%2$s"; }
                    @Override public String displayName() { return "%3$s"; }
                    @Override public Set<String> accountKeys() { return Set.of("allowed_chat_ids", "token"); }
                    @Override public Set<String> secretKeys() { return Set.of("token"); }
                    @Override public String allowlistKey() { return "allowed_chat_ids"; }
                    @Override public ChannelAdapter create(ChannelContext context) {
                        return new ChannelAdapter() {
                            @Override public void start() { context.status().connected(); }
                            @Override public void send(OutboundMessage message) {}
                            @Override public ProbeResult probe() { return ProbeResult.ok("%2$s"); }
                            @Override public void close() {}
                        };
                    }
                }
                """
                        .formatted(simpleName(className), id, capitalised(id), SPI_VERSION);
    }

    /**
     * A reply-loop channel {@code id} whose "platform" is plain HTTP: it receives on the gateway's
     * webhook route ({@code POST /webhooks/<id>/<account>} with the body {@code
     * conversation|message id|text}, answered {@code {"result":"ACCEPTED"}} once the message is
     * durable) and delivers each reply with the gateway's shared OkHttp client as {@code POST
     * <reply_url>} with the body {@code conversation|text}. Account keys: {@code allowed_chat_ids},
     * {@code reply_url} (required).
     */
    public static String webhook(String className, String id) {
        return packageLine(className)
                + """
                import dev.switchboard.spi.*;
                import java.io.IOException;
                import java.nio.charset.StandardCharsets;
                import java.util.List;
                import java.util.Optional;
                import java.util.Set;
                import okhttp3.MediaType;
                import okhttp3.Request;
                import okhttp3.RequestBody;
                import okhttp3.Response;

                public final class %1$s implements ChannelProvider {
                    @Override public int spiVersion() { return %4$s; }
                    @Override public String id() { return "%2$s"; }
                    @Override public String displayName() { return "%3$s"; }
                    @Override public Set<String> accountKeys() { return Set.of("allowed_chat_ids", "reply_url"); }
                    @Override public String allowlistKey() { return "allowed_chat_ids"; }
                    @Override public List<String> validate(AccountSettings settings) {
                        return settings.string("reply_url").isPresent()
                                ? List.of()
                                : List.of("reply_url is missing (expected: the URL replies are posted to)");
                    }

                    @Override public ChannelAdapter create(ChannelContext context) {
                        return new ChannelAdapter() {
                            private WebhookRegistration webhook;

                            @Override public void start() {
                                webhook = context.webhook(request -> {
                                    String[] parts = new String(request.body(), StandardCharsets.UTF_8).split("[|]", 3);
                                    if (parts.length != 3) {
                                        return WebhookResponse.json(400, "{\\"error\\":\\"expected conversation|id|text\\"}");
                                    }
                                    InboundSink.Result result = context.inbound().accept(new InboundMessage(
                                            "%2$s", context.settings().accountId(), parts[0], Optional.empty(),
                                            "sender", parts[1], parts[2], context.clock().instant()));
                                    return WebhookResponse.json(200, "{\\"result\\":\\"" + result + "\\"}");
                                });
                                context.status().connected();
                            }

                            @Override public void send(OutboundMessage message) {
                                Request request = new Request.Builder()
                                        .url(context.settings().string("reply_url").orElseThrow())
                                        .post(RequestBody.create(message.conversationId() + "|" + message.text(),
                                                MediaType.get("text/plain; charset=utf-8")))
                                        .build();
                                try (Response response = context.httpClient().newCall(request).execute()) {
                                    if (!response.isSuccessful()) {
                                        throw SendException.retryable("platform answered " + response.code(), null);
                                    }
                                } catch (IOException e) {
                                    throw SendException.retryable("platform unreachable", e);
                                }
                            }

                            @Override public ProbeResult probe() { return ProbeResult.ok("%2$s"); }

                            @Override public void close() {
                                if (webhook != null) {
                                    webhook.close();
                                }
                            }
                        };
                    }
                }
                """
                        .formatted(simpleName(className), id, capitalised(id), SPI_VERSION);
    }

    private static String packageLine(String className) {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? "" : "package " + className.substring(0, dot) + ";\n\n";
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    private static String capitalised(String id) {
        return id.isEmpty() ? id : id.substring(0, 1).toUpperCase(Locale.ROOT) + id.substring(1);
    }
}
