package dev.switchboard.testkit.feishu;

import dev.switchboard.testkit.console.ArrivalPrinter;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * The fake Feishu/Lark open platform as a program, to try a gateway by hand with no Feishu tenant ({@code
 * bin/fake-feishu}). It serves one app and reads commands from stdin (see {@link #COMMANDS}). Each message the bot
 * sends is printed as it arrives: {@code bot -> <chat id>: <text>}.
 */
public final class FakeFeishuMain {
    private static final String USAGE = "usage: fake-feishu [--port N (default 8082)] [--app-id cli_...]"
            + " [--app-secret S] [--bot-name NAME] [--ack-timeout-ms N (default 3000)]"
            + " [--ping-interval SECONDS (default 120)] [--reconnect-interval SECONDS (default 120)]"
            + " [--verification-token T] [--encrypt-key K] [--webhook URL]";

    static final String COMMANDS =
            """
            commands:
              say <user> <text>              <user> writes to the bot in their single chat
              group <chat id> <user> <text>  <user> @mentions the bot in group <chat id> (created on first use)
              fragment <n> [reversed]        split the next events into n fragments (1: whole events)
              repeat                         push the last user message again (a duplicate delivery)
              drop | sever | silence         close the long connections / cut them without a close frame /
                                             keep them open but answer and push nothing
              status                         connections, pushes, re-pushes, acknowledgements
              sent                           every message the bot sent
              quit""";

    /** Fixed, so a config written for the fake keeps working across runs; no real app has them. */
    static final String DEFAULT_APP_ID = "cli_a0fa4efe15b0c0de";

    static final String DEFAULT_APP_SECRET = "FakeFeishuSecretForLocalSwitchboardTests";

    private FakeFeishuMain() {}

    public static void main(String[] args) throws Exception {
        int port = 8082;
        String appId = DEFAULT_APP_ID;
        String appSecret = DEFAULT_APP_SECRET;
        String botName = "Switchboard Bot";
        Duration ackTimeout = Duration.ofSeconds(3);
        int pingInterval = 120;
        int reconnectInterval = 120;
        String verificationToken = "";
        Optional<String> encryptKey = Optional.empty();
        Optional<URI> webhook = Optional.empty();
        try {
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    fail(args[i] + " needs a value");
                }
                String value = args[i + 1];
                switch (args[i]) {
                    case "--port" -> port = number(args[i], value);
                    case "--app-id" -> appId = value;
                    case "--app-secret" -> appSecret = value;
                    case "--bot-name" -> botName = value;
                    case "--ack-timeout-ms" -> ackTimeout = Duration.ofMillis(number(args[i], value));
                    case "--ping-interval" -> pingInterval = number(args[i], value);
                    case "--reconnect-interval" -> reconnectInterval = number(args[i], value);
                    case "--verification-token" -> verificationToken = value;
                    case "--encrypt-key" -> encryptKey = Optional.of(value);
                    case "--webhook" -> webhook = Optional.of(URI.create(value));
                    default -> fail("unknown option " + args[i]);
                }
            }
        } catch (IllegalArgumentException e) {
            fail(String.valueOf(e.getMessage()));
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (FakeFeishu feishu = FakeFeishu.start(port)) {
            FakeFeishuApp app = feishu.addApp(appId, appSecret, botName)
                    .ackTimeout(ackTimeout)
                    .clientConfig(new ClientConfig(-1, reconnectInterval, Math.min(5, reconnectInterval), pingInterval))
                    .verificationToken(verificationToken)
                    .encryptKey(encryptKey);
            webhook.ifPresent(app::deliverByWebhook);
            out.println("fake Feishu open platform on " + feishu.baseUrl() + " — app " + app.appId() + ", bot \""
                    + app.botName() + "\" (open_id " + app.botOpenId() + ")");
            out.println("base_url = \"" + feishu.baseUrl() + "\"   app_id = \"" + app.appId() + "\"   app_secret = \""
                    + app.appSecret() + "\"   (a fake's credentials: never a real app's)");
            out.println(webhook.map(url -> "events are POSTed to " + url)
                    .orElse("events go to the long connection (mode = \"websocket\")"));
            out.println(COMMANDS);
            ArrivalPrinter printer = new ArrivalPrinter(out)
                    .follow(app::sent, FakeFeishuMain::describe)
                    .start();
            try {
                repl(app, out);
            } finally {
                printer.close();
            }
        }
    }

    private static void repl(FakeFeishuApp app, PrintStream out) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        UserMessage last = null;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String[] parts = line.strip().split("\\s+", 4);
            try {
                switch (parts[0]) {
                    case "" -> {}
                    case "quit", "exit" -> {
                        return;
                    }
                    case "say" -> {
                        String[] say = line.strip().split("\\s+", 3);
                        if (say.length < 3) {
                            throw new IllegalArgumentException("say needs a user and a text");
                        }
                        FeishuUser user = app.user(say[1]);
                        last = app.userSays(app.p2pChat(user), user, say[2]);
                        out.println(pushed(last));
                    }
                    case "group" -> {
                        if (parts.length < 4) {
                            throw new IllegalArgumentException("group needs a chat id, a user and a text");
                        }
                        last = app.userMentionsBot(app.groupChat(parts[1], parts[1]), app.user(parts[2]), parts[3]);
                        out.println(pushed(last));
                    }
                    case "fragment" -> {
                        int n = number("fragment", parts.length > 1 ? parts[1] : "");
                        boolean reversed = parts.length > 2 && parts[2].equals("reversed");
                        app.fragmentEvents(n, reversed ? FragmentOrder.REVERSED : FragmentOrder.IN_ORDER);
                        out.println("next events: " + n + " fragment(s)" + (reversed ? ", last first" : ""));
                    }
                    case "repeat" -> {
                        if (last == null) {
                            throw new IllegalArgumentException("no user message yet");
                        }
                        app.pushAgain(last);
                        out.println("pushed again: " + pushed(last));
                    }
                    case "drop" -> out.println("closed " + app.closeConnections() + " connection(s)");
                    case "sever" -> out.println("cut " + app.severConnections() + " connection(s)");
                    case "silence" -> out.println("silenced " + app.silenceConnections() + " connection(s)");
                    case "status" -> out.println(status(app));
                    case "sent" -> app.sent().forEach(sent -> out.println(describe(sent)));
                    default -> throw new IllegalArgumentException("unknown command " + parts[0]);
                }
            } catch (IllegalArgumentException e) {
                out.println("error: " + e.getMessage() + "\n" + COMMANDS);
            }
        }
    }

    private static String pushed(UserMessage message) {
        return "event " + message.eventId() + " (message " + message.messageId() + " in "
                + message.chat().chatId() + ") queued";
    }

    private static String status(FakeFeishuApp app) {
        StringBuilder status = new StringBuilder();
        status.append("open connections ")
                .append(app.openConnections())
                .append(" of ")
                .append(app.connections().size())
                .append(" opened; pushes ")
                .append(app.pushes())
                .append(" (re-pushes ")
                .append(app.repushes())
                .append("), unacknowledged ")
                .append(app.unacknowledged())
                .append(", given up ")
                .append(app.givenUp())
                .append(", acks ")
                .append(app.acks().size());
        for (ConnectedClient client : app.connections()) {
            status.append("\n  connection ")
                    .append(client.deviceId())
                    .append(client.isOpen() ? " open" : " closed")
                    .append(client.silenced() ? " (silenced)" : "")
                    .append(", pings ")
                    .append(client.pings());
        }
        return status.toString();
    }

    private static String describe(BotMessage sent) {
        return "bot -> " + sent.chatId()
                + sent.repliedTo().map(id -> " (reply to " + id + ")").orElse("") + ": " + sent.text();
    }

    private static int number(String option, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": " + value + " (expected: a whole number)");
        }
    }

    private static void fail(String message) {
        System.err.println("fake-feishu: " + message + "\n" + USAGE);
        System.exit(64);
    }
}
