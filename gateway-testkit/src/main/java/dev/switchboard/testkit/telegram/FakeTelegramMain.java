package dev.switchboard.testkit.telegram;

import dev.switchboard.testkit.console.ArrivalPrinter;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

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
 * and, to see how a gateway survives updates a broken server or proxy might send:
 *
 * <pre>
 * raw &lt;json&gt;                           the next update is {@code json}, verbatim
 * entity-overflow &lt;chat id&gt;            a message whose entity's offset + length overflows an int
 * bad-update-id &lt;chat id&gt; &lt;literal&gt;    a message whose update_id is {@code literal} ("abc", 5.5, -1, ...)
 * deep &lt;chat id&gt; [depth]               a message with a field nested depth (1500) arrays deep
 * flood &lt;seconds&gt;                      the next getUpdates answers 429 with that retry_after
 * </pre>
 *
 * Each message the bot sends is printed as it arrives: {@code bot -> <chat id>: <text>}.
 */
public final class FakeTelegramMain {
    private static final String USAGE =
            "usage: fake-telegram [--port N (default 8081)] [--token <id>:<35 chars>] [--username NAME]";

    private static final String COMMANDS = "say <chat id> <text> | sent | quit | raw <json> | entity-overflow <chat id>"
            + " | bad-update-id <chat id> <literal> | deep <chat id> [depth] | flood <seconds>";

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
            out.println("commands: " + COMMANDS);
            ArrivalPrinter printer = new ArrivalPrinter(out)
                    .follow(bot::sent, FakeTelegramMain::describe)
                    .start();
            try {
                repl(bot, out);
            } finally {
                printer.close();
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
                    case "raw" -> {
                        String json = line.strip().substring("raw".length()).strip();
                        if (json.isEmpty()) {
                            throw new IllegalArgumentException("raw needs the update's JSON");
                        }
                        out.println("update " + bot.rawUpdate(json) + " queued (raw)");
                    }
                    case "entity-overflow" -> {
                        long chatId = chatId(parts, "entity-overflow");
                        TgMessage message = bot.userSaysWithEntity(
                                chat(bot, chatId), member(bot, chatId), "hi", Integer.MAX_VALUE, 10);
                        out.println("update " + message.updateId() + " queued (entity offset 2147483647 + length 10)");
                    }
                    case "bad-update-id" -> {
                        long chatId = chatId(parts, "bad-update-id");
                        if (parts.length < 3) {
                            throw new IllegalArgumentException("bad-update-id needs a chat id and a JSON literal");
                        }
                        TgMessage message =
                                bot.userSaysWithUpdateId(chat(bot, chatId), member(bot, chatId), "hi", parts[2]);
                        out.println("update " + message.updateId() + " queued (update_id " + parts[2] + ")");
                    }
                    case "deep" -> {
                        long chatId = chatId(parts, "deep");
                        int depth = parts.length > 2 ? Integer.parseInt(parts[2]) : 1500;
                        TgMessage message =
                                bot.userSaysDeeplyNested(chat(bot, chatId), member(bot, chatId), "hi", depth);
                        out.println("update " + message.updateId() + " queued (nested " + depth + " deep)");
                    }
                    case "flood" -> {
                        if (parts.length < 2) {
                            throw new IllegalArgumentException("flood needs the retry_after in seconds");
                        }
                        bot.failNext("getUpdates", 1, Fault.tooManyRequests(Long.parseLong(parts[1])));
                        out.println("the next getUpdates answers 429 retry_after " + parts[1]);
                    }
                    default -> throw new IllegalArgumentException("unknown command " + parts[0]);
                }
            } catch (IllegalArgumentException e) {
                out.println("error: " + e.getMessage() + " (commands: " + COMMANDS + ")");
            }
        }
    }

    private static TgMessage say(FakeBot bot, long chatId, String text) {
        return bot.userSays(chat(bot, chatId), member(bot, chatId), text);
    }

    /** A private chat with user {@code chatId} when it is positive, else a group. */
    private static TgChat chat(FakeBot bot, long chatId) {
        return chatId > 0 ? bot.privateChat(member(bot, chatId)) : bot.group(chatId, "group " + chatId);
    }

    private static TgUser member(FakeBot bot, long chatId) {
        return chatId > 0 ? bot.user(chatId, "user" + chatId) : bot.user(1, "member");
    }

    private static long chatId(String[] parts, String command) {
        if (parts.length < 2) {
            throw new IllegalArgumentException(command + " needs a chat id");
        }
        return Long.parseLong(parts[1]);
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
