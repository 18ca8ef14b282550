package dev.switchboard.testkit.wecom;

import dev.switchboard.testkit.console.ArrivalPrinter;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The fake WeCom as a program, to try a gateway by hand with no WeCom tenant ({@code bin/fake-wecom}). It serves
 * one AI bot and one group robot and reads commands from stdin (see {@link #COMMANDS}). What the bot and the
 * robot send is printed as it arrives: {@code bot -> <conversation>: <text>}, {@code robot -> <text>}.
 */
public final class FakeWeComMain {
    private static final String USAGE = "usage: fake-wecom [--port N (default 8083)] [--bot-id ID] [--secret S]"
            + " [--robot-key KEY] [--heartbeat-timeout SECONDS (default 60)] [--reply-window SECONDS (default 360)]"
            + " [--welcome-window SECONDS (default 5)]";

    static final String COMMANDS =
            """
            commands:
              say <user> <text>              <user> writes to the bot in their single chat
              group <chat id> <user> <text>  <user> writes in group <chat id>
              voice <user> <text>            <user> sends a voice message (<text> is the transcript)
              enter <user>                   <user> opens the single chat (enter_chat: a welcome may follow)
              repeat                         deliver the last user message again (same msgid, new req_id)
              takeover                       another client takes the bot: disconnected_event, then closed
              drop | sever | silence         close the connections / cut them without a close frame /
                                             keep them open but acknowledge and push nothing
              status                         connections, pings, callbacks, replies
              sent                           everything the bot and the group robot sent
              quit""";

    /** Fixed, so a config written for the fake keeps working across runs; no real bot has them. */
    static final String DEFAULT_BOT_ID = "aibot-fake-wecom-alerts";

    static final String DEFAULT_SECRET = "FakeWeComSecretForLocalSwitchboardTests";
    static final String DEFAULT_ROBOT_KEY = "fake-wecom-robot-key";

    private FakeWeComMain() {}

    public static void main(String[] args) throws Exception {
        int port = 8083;
        String botId = DEFAULT_BOT_ID;
        String secret = DEFAULT_SECRET;
        String robotKey = DEFAULT_ROBOT_KEY;
        int heartbeatTimeout = 60;
        int replyWindow = 360;
        int welcomeWindow = 5;
        try {
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    fail(args[i] + " needs a value");
                }
                String value = args[i + 1];
                switch (args[i]) {
                    case "--port" -> port = number(args[i], value);
                    case "--bot-id" -> botId = value;
                    case "--secret" -> secret = value;
                    case "--robot-key" -> robotKey = value;
                    case "--heartbeat-timeout" -> heartbeatTimeout = number(args[i], value);
                    case "--reply-window" -> replyWindow = number(args[i], value);
                    case "--welcome-window" -> welcomeWindow = number(args[i], value);
                    default -> fail("unknown option " + args[i]);
                }
            }
        } catch (IllegalArgumentException e) {
            fail(String.valueOf(e.getMessage()));
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (FakeWeCom wecom = FakeWeCom.start(port)) {
            wecom.heartbeatTimeout(Duration.ofSeconds(heartbeatTimeout));
            FakeWeComBot bot = wecom.addBot(botId, secret)
                    .replyWindow(Duration.ofSeconds(replyWindow))
                    .welcomeWindow(Duration.ofSeconds(welcomeWindow));
            FakeGroupRobot robot = wecom.addGroupRobot(robotKey);
            out.println("fake WeCom on " + wecom.wsUrl() + " — AI bot " + bot.botId() + ", group robot at "
                    + robot.webhookUrl());
            out.println("ws_url = \"" + wecom.wsUrl() + "\"   bot_id = \"" + bot.botId() + "\"   secret = \""
                    + bot.secret() + "\"   (a fake's credentials: never a real bot's)");
            out.println(COMMANDS);
            ArrivalPrinter printer = new ArrivalPrinter(out)
                    .follow(bot::replies, FakeWeComMain::describe)
                    .follow(robot::posts, post -> "robot -> " + post.content())
                    .start();
            try {
                repl(wecom, bot, robot, out);
            } finally {
                printer.close();
            }
        }
    }

    private static void repl(FakeWeCom wecom, FakeWeComBot bot, FakeGroupRobot robot, PrintStream out)
            throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        Callback last = null;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String[] parts = line.strip().split("\\s+", 4);
            String[] three = line.strip().split("\\s+", 3);
            try {
                switch (parts[0]) {
                    case "" -> {}
                    case "quit", "exit" -> {
                        return;
                    }
                    case "say", "voice" -> {
                        if (three.length < 3) {
                            throw new IllegalArgumentException(parts[0] + " needs a user and a text");
                        }
                        WeComChat chat = WeComChat.single(three[1]);
                        last = parts[0].equals("say")
                                ? bot.userSays(chat, three[1], three[2])
                                : bot.userSendsVoice(chat, three[1], three[2]);
                        out.println(queued(last));
                    }
                    case "group" -> {
                        if (parts.length < 4) {
                            throw new IllegalArgumentException("group needs a chat id, a user and a text");
                        }
                        last = bot.userSays(WeComChat.group(parts[1]), parts[2], parts[3]);
                        out.println(queued(last));
                    }
                    case "enter" -> {
                        if (parts.length < 2) {
                            throw new IllegalArgumentException("enter needs a user");
                        }
                        out.println(queued(bot.userEntersChat(parts[1])));
                    }
                    case "repeat" -> {
                        if (last == null) {
                            throw new IllegalArgumentException("no user message yet");
                        }
                        out.println("again: " + queued(bot.redeliver(last)));
                    }
                    case "takeover" -> out.println("took over " + bot.takeOver() + " connection(s)");
                    case "drop" -> out.println("closed " + bot.closeConnections() + " connection(s)");
                    case "sever" -> out.println("cut " + bot.severConnections() + " connection(s)");
                    case "silence" -> out.println("silenced " + bot.silenceConnections() + " connection(s)");
                    case "status" -> out.println(status(wecom, bot, robot));
                    case "sent" -> {
                        bot.replies().forEach(reply -> out.println(describe(reply)));
                        robot.posts().forEach(post -> out.println("robot -> " + post.content()));
                    }
                    default -> throw new IllegalArgumentException("unknown command " + parts[0]);
                }
            } catch (IllegalArgumentException | IllegalStateException e) {
                out.println("error: " + e.getMessage() + "\n" + COMMANDS);
            }
        }
    }

    private static String queued(Callback callback) {
        return callback.cmd() + " " + callback.msgType() + " (msgid " + callback.msgid() + ", req_id "
                + callback.reqId() + ") in " + callback.chat().conversationId() + " queued";
    }

    private static String status(FakeWeCom wecom, FakeWeComBot bot, FakeGroupRobot robot) {
        StringBuilder status = new StringBuilder();
        status.append("open connections ")
                .append(bot.openConnections())
                .append(", subscriptions ")
                .append(bot.subscriptions())
                .append(" (refused ")
                .append(bot.refusedSubscriptions())
                .append("), pings ")
                .append(bot.pings())
                .append(", callbacks pushed ")
                .append(bot.pushed().size())
                .append(" (waiting ")
                .append(bot.waitingCallbacks())
                .append("), replies ")
                .append(bot.replies().size())
                .append(", robot posts ")
                .append(robot.posts().size());
        for (ConnectedClient client : wecom.connections()) {
            status.append("\n  ")
                    .append(client.connectionId())
                    .append(
                            client.isOpen()
                                    ? " open"
                                    : " closed (" + client.closeReason().orElse("") + ")")
                    .append(client.subscribed() ? ", subscribed" : "")
                    .append(client.silenced() ? ", silenced" : "")
                    .append(", pings ")
                    .append(client.pings());
        }
        return status.toString();
    }

    private static String describe(BotReply reply) {
        return "bot -> " + reply.conversationId() + " (" + reply.kind().name().toLowerCase(java.util.Locale.ROOT)
                + reply.replyTo().map(msgid -> ", reply to " + msgid).orElse("") + "): " + reply.content();
    }

    private static int number(String option, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": " + value + " (expected: a whole number)");
        }
    }

    private static void fail(String message) {
        System.err.println("fake-wecom: " + message + "\n" + USAGE);
        System.exit(64);
    }
}
