package dev.switchboard.cli.ui;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.channel.telegram.TelegramChannelProvider;
import dev.switchboard.core.Gateway;
import dev.switchboard.core.channel.AccountState;
import dev.switchboard.core.channel.ChannelRegistry;
import dev.switchboard.core.owner.PortSource;
import dev.switchboard.core.server.ListenAddress;
import dev.switchboard.testkit.gateway.TestGateways;
import dev.switchboard.testkit.telegram.FakeBot;
import dev.switchboard.testkit.telegram.FakeTelegram;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The Control UI in a real browser (SPEC §5.2, issue 15): Debian's headless chromium, driven through
 * its chromedriver, opens the UI of a real gateway (port 0, SQLite in a temp dir, echo agent) that
 * runs a Telegram account against the fake Bot API. It signs in, sees the account, chats with the
 * agent and watches the streamed reply, then sees the account fail live when the fake platform
 * revokes the bot's token. Nothing is downloaded: the browser and driver paths are given, so
 * Selenium Manager never runs.
 */
class ControlUiBrowserIT {
    /** Installed by .ci/run ({@code apt-get install chromium chromium-driver}); override with these properties. */
    private static final Path CHROMIUM = Path.of(System.getProperty("switchboard.chromium", "/usr/bin/chromium"));

    private static final Path CHROMEDRIVER =
            Path.of(System.getProperty("switchboard.chromedriver", "/usr/bin/chromedriver"));
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static final String TOKEN = "ui-test-token-7f3a9c";
    private static final By ACCOUNT_STATE = By.cssSelector("tr[data-account='telegram.ops'] .state");
    private static final By ACCOUNT_ERROR = By.cssSelector("tr[data-account='telegram.ops'] .last-error");

    @TempDir
    Path stateDir;

    private FakeTelegram telegram;
    private Gateway gateway;
    private ChromeDriver browser;

    @AfterEach
    void tearDown() {
        try {
            if (browser != null) {
                browser.quit();
            }
        } finally {
            if (gateway != null) {
                gateway.close();
            }
            if (telegram != null) {
                telegram.close();
            }
        }
    }

    @Test
    void signsInChatsSeesAnAccountFailLiveAndReconnectsAfterARestart() throws Exception {
        browser = startBrowser();
        telegram = FakeTelegram.start();
        FakeBot bot = telegram.addBot(FakeTelegram.newToken(777000111L), "ui_bot");
        gateway = startGateway(bot, 0);
        Gateway first = gateway;
        await("the account connected", () -> first.channels().get(0).state() == AccountState.CONNECTED);
        String url = "http://127.0.0.1:" + gateway.port() + "/";

        browser.get(url);
        // a wrong token: the gateway's own refusal is shown, and the form is offered again
        signIn("not-the-token");
        awaitText(By.id("login-error"), text -> text.contains("gateway.auth.token"));
        assertThat(browser.findElement(By.id("login")).isDisplayed()).isTrue();

        signIn(TOKEN);
        awaitText(By.id("connection"), "connected"::equals);
        awaitText(ACCOUNT_STATE, "connected"::equals);
        awaitText(By.cssSelector("dd[data-field='instance']"), gateway.instanceId()::equals);
        assertThat(browser.findElement(By.cssSelector("dd[data-field='version']"))
                        .getText())
                .isNotBlank();

        // the credential lives in this tab's sessionStorage only, and is never rendered
        assertThat(script("return sessionStorage.getItem('switchboard.credential')"))
                .asString()
                .contains(TOKEN);
        assertThat(script("return localStorage.length")).isEqualTo(0L);
        assertThat(browser.manage().getCookies()).isEmpty();
        assertThat(browser.getPageSource()).doesNotContain(TOKEN);

        // chat: the echo agent's reply streams in (three deltas), then ends final
        String message = "hello from the browser, streamed in parts";
        browser.findElement(By.id("chat-input")).sendKeys(message);
        browser.findElement(By.cssSelector("#chat-form button[type=submit]")).click();
        WebElement reply = awaitElement(By.cssSelector("#chat-log .message.assistant[data-state='final']"));
        assertThat(reply.getText()).isEqualTo(message);
        assertThat(reply.getDomAttribute("data-deltas"))
                .as("chat deltas rendered")
                .isEqualTo("3");
        assertThat(reply.getDomAttribute("data-replaced"))
                .as("the final message had to replace what the deltas rendered")
                .isNull();

        // the session appears; its history holds both turns
        click(By.xpath("//ul[@id='session-list']//button[text()='webchat:ui']"));
        awaitText(
                By.id("history-list"),
                text -> text.contains(message) && text.indexOf(message) != text.lastIndexOf(message));

        // the platform revokes the bot's token: the account's state changes on the page without a reload
        script("window.noReloadSentinel = 'same page'");
        bot.revokeToken();
        awaitText(ACCOUNT_STATE, "failed"::equals);
        awaitText(ACCOUNT_ERROR, text -> text.contains("401 Unauthorized"));
        assertThat(script("return window.noReloadSentinel")).isEqualTo("same page");
        awaitText(By.id("event-log"), text -> text.contains("telegram.ops → failed"));

        // the gateway stops and another starts on its port: the page reconnects by itself and reads it again
        int port = gateway.port();
        gateway.close();
        awaitText(By.id("connection"), text -> !text.equals("connected"));
        gateway = startGateway(bot, port);
        awaitText(By.cssSelector("dd[data-field='instance']"), gateway.instanceId()::equals);
        awaitText(By.id("connection"), "connected"::equals);
        awaitText(ACCOUNT_STATE, "failed"::equals); // the token is still revoked
        assertThat(script("return window.noReloadSentinel")).isEqualTo("same page");
        assertThat(browser.findElement(By.id("event-log")).getText()).contains("shutdown");

        screenshot();

        // a phone's width: nothing sticks out sideways
        browser.manage().window().setSize(new Dimension(375, 812));
        Object overflow = script("return document.documentElement.scrollWidth - document.documentElement.clientWidth");
        assertThat(overflow).as("horizontal overflow at 375 px").isEqualTo(0L);
        Files.copy(
                browser.getScreenshotAs(OutputType.FILE).toPath(),
                Path.of("target", "control-ui-phone.png"),
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** A gateway on {@code port} (0: any) running the Telegram account {@code ops} against the fake Bot API. */
    private Gateway startGateway(FakeBot bot, int port) {
        String hocon = "gateway.auth.token = \"" + TOKEN + "\"\n"
                + "telegram.accounts.ops {\n"
                + "  bot_token = \"" + bot.token() + "\"\n"
                + "  api_base_url = \"" + telegram.apiBaseUrl() + "\"\n"
                + "  poll_timeout_seconds = 1\n"
                + "  allowed_chat_ids = [42]\n"
                + "}\n";
        return TestGateways.builder(ChannelRegistry.of(new TelegramChannelProvider()), hocon, stateDir)
                .listen(new ListenAddress("127.0.0.1", port, PortSource.CLI))
                .build()
                .start();
    }

    /** Headless chromium from Debian; fails (never skips) when it is not installed. */
    private static ChromeDriver startBrowser() {
        for (Path binary : List.of(CHROMIUM, CHROMEDRIVER)) {
            assertThat(Files.isExecutable(binary))
                    .as(binary + " is missing: the Control UI's browser test needs Debian's chromium and"
                            + " chromium-driver (sudo apt-get install chromium chromium-driver; .ci/run does)")
                    .isTrue();
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM.toFile())
                .addArguments(
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-dev-shm-usage",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--no-first-run",
                        "--window-size=1280,1100");
        // Selenium warns at each start that it has no DevTools classes for this chromium's version;
        // the test speaks WebDriver only
        Logger cdp = Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");
        cdp.setLevel(Level.SEVERE);
        try {
            return new ChromeDriver(service, options);
        } finally {
            cdp.setLevel(null);
        }
    }

    private void signIn(String secret) {
        WebElement field = awaitElement(By.id("secret"));
        await("the sign-in form shown", field::isDisplayed);
        field.sendKeys(secret);
        browser.findElement(By.cssSelector("#login-form button[type=submit]")).click();
    }

    /** Clicks what {@code locator} finds, again if the page re-rendered it meanwhile. */
    private void click(By locator) {
        await(locator + " clicked", () -> {
            try {
                awaitElement(locator).click();
                return true;
            } catch (StaleElementReferenceException e) {
                return false;
            }
        });
    }

    private Object script(String javascript) {
        return ((JavascriptExecutor) browser).executeScript(javascript);
    }

    /** The page as it looks now, in target/ (and at -Dswitchboard.ui.screenshot, for docs/). */
    private void screenshot() throws Exception {
        Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, Path.of("target", "control-ui.png"), StandardCopyOption.REPLACE_EXISTING);
        String docs = System.getProperty("switchboard.ui.screenshot");
        if (docs != null) {
            Files.copy(shot, Path.of(docs), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private WebElement awaitElement(By locator) {
        WebElement[] found = {null};
        await(locator + " on the page", () -> {
            List<WebElement> elements = browser.findElements(locator);
            found[0] = elements.isEmpty() ? null : elements.get(0);
            return found[0] != null;
        });
        return requireNonNull(found[0]);
    }

    private void awaitText(By locator, Predicate<String> expected) {
        String[] last = {""};
        await(
                locator + " with the expected text",
                () -> {
                    try {
                        List<WebElement> found = browser.findElements(locator);
                        last[0] = found.isEmpty() ? "<absent>" : found.get(0).getText();
                        return !found.isEmpty() && expected.test(last[0]);
                    } catch (StaleElementReferenceException e) {
                        return false; // re-rendered between finding and reading: look again
                    }
                },
                () -> "its text: " + last[0]);
    }

    private static void await(String what, BooleanSupplier condition) {
        await(what, condition, () -> "");
    }

    /** Polls {@code condition} until it holds; fails naming {@code what} after {@link #WAIT}. */
    private static void await(String what, BooleanSupplier condition, Supplier<String> detail) {
        Instant deadline = Instant.now().plus(WAIT);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("waited " + WAIT.toSeconds() + " s for " + what + "; " + detail.get());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }
}
