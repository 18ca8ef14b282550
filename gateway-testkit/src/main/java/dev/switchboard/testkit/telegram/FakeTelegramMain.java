package dev.switchboard.testkit.telegram;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The fake Bot API as a program, to try a gateway by hand with no Telegram account ({@code
 * bin/fake-telegram}). It serves one bot and reads commands from stdin:
 *
 * <pre>
 * say &lt;chat id&gt; &lt;text&gt;    a user writes to the bot (a positive id is a private chat with that
 *                         user; a negative id a group, where the text must @mention the bot)
 * sent                    every message the bot sent so far
 * quit                    stops the fake
 * </pre>
 *
 * Each message the bot sends is printed as it arrives: {@code bot -> <chat id>: <text>}.
 */
public final class FakeTelegramMain {
    private static final String USAGE =
            "usage: fake-telegram [--port N (default 8081)] [--token <id>:<35 chars>] [--username NAME]";

    /** Fixed, so a config written for the fake keeps working across runs; it is no real bot's token. */
    static final String DEFAULT_TOKEN = "123456:AAFakeTokenForLocalSwitchboardTests";

    private FakeTelegramMain() {}

    public static void main(String[] args) throws Exception {
        int port = 8081;
        String token = DEFAULT_TOKEN;
        String username = "switchboard_test_bot";
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                fail(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--token" -> token = args[i + 1];
                case "--username" -> username = args[i + 1];
                default -> fail("unknown option " + args[i]);
            }
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (FakeTelegram telegram = FakeTelegram.start(port)) {
            FakeBot bot = telegram.addBot(token, username);
            out.println("fake Telegram Bot API on " + telegram.apiBaseUrl() + " — bot @" + bot.username() + " (id "
                    + bot.id() + ")");
            out.println("bot_token = \"" + bot.token() + "\"   (a fake's token: never a real bot's)");
            out.println("commands: say <chat id> <text> | sent | quit");
            ScheduledExecutorService printer = Executors.newSingleThreadScheduledExecutor();
            int[] printed = {0};
            var unused = printer.scheduleWithFixedDelay( // stops with the printer
                    () -> {
                        List<SentMessage> sent = bot.sent();
                        for (; printed[0] < sent.size(); printed[0]++) {
                            out.println(describe(sent.get(printed[0])));
                        }
                    },
                    100,
                    100,
                    TimeUnit.MILLISECONDS);
            try {
                repl(bot, out);
            } finally {
                printer.shutdownNow();
            }
        }
    }

    private static void repl(FakeBot bot, PrintStream out) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String[] parts = line.strip().split("\\s+", 3);
            try {
                switch (parts[0]) {
                    case "" -> {}
                    case "quit", "exit" -> {
                        return;
                    }
                    case "sent" -> bot.sent().forEach(sent -> out.println(describe(sent)));
                    case "say" -> {
                        if (parts.length < 3) {
                            throw new IllegalArgumentException("say needs a chat id and a text");
                        }
                        TgMessage message = say(bot, Long.parseLong(parts[1]), parts[2]);
                        out.println("update " + message.updateId() + " queued (message " + message.messageId() + ")");
                    }
                    default -> throw new IllegalArgumentException("unknown command " + parts[0]);
                }
            } catch (IllegalArgumentException e) {
                out.println("error: " + e.getMessage() + " (commands: say <chat id> <text> | sent | quit)");
            }
        }
    }

    private static TgMessage say(FakeBot bot, long chatId, String text) {
        if (chatId > 0) {
            TgUser user = bot.user(chatId, "user" + chatId);
            return bot.userSays(bot.privateChat(user), user, text);
        }
        return bot.userSays(bot.group(chatId, "group " + chatId), bot.user(1, "member"), text);
    }

    private static String describe(SentMessage sent) {
        return "bot -> " + sent.chatId()
                + (sent.messageThreadId().isPresent()
                        ? " (topic " + sent.messageThreadId().getAsInt() + ")"
                        : "")
                + ": " + sent.text();
    }

    private static void fail(String message) {
        System.err.println("fake-telegram: " + message + "\n" + USAGE);
        System.exit(64);
    }
}
