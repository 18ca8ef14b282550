package dev.switchboard.testkit.wecom;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FakeGroupRobotTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FakeWeCom wecom = FakeWeCom.start();
    private final FakeGroupRobot robot = wecom.addGroupRobot("693axxx6-7aoc-4bc4-97a0-0ec2sifa5aaa");
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void close() {
        wecom.close();
    }

    /** POSTs {@code body} to {@code url} as the group robot's docs show; returns the JSON answer (always HTTP 200). */
    private JsonNode post(String url, String body) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body, UTF_8))
                        .build(),
                HttpResponse.BodyHandlers.ofString(UTF_8));
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static String text(String content) {
        ObjectNode body = JSON.createObjectNode().put("msgtype", "text");
        body.putObject("text")
                .put("content", content)
                .putArray("mentioned_list")
                .add("@all");
        return body.toString();
    }

    private static String markdown(String content) {
        ObjectNode body = JSON.createObjectNode().put("msgtype", "markdown");
        body.putObject("markdown").put("content", content);
        return body.toString();
    }

    @Test
    void textAndMarkdownArePostedAndReadable() throws Exception {
        JsonNode ok = post(robot.webhookUrl(), text("deploy finished"));
        assertThat(ok.path("errcode").asInt()).isZero();
        assertThat(ok.path("errmsg").asText()).isEqualTo("ok");
        assertThat(post(robot.webhookUrl(), markdown("**disk** 91%"))
                        .path("errcode")
                        .asInt())
                .isZero();

        assertThat(robot.awaitPosts(2, Duration.ofSeconds(5)))
                .extracting(RobotPost::msgType, RobotPost::content)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("text", "deploy finished"),
                        org.assertj.core.groups.Tuple.tuple("markdown", "**disk** 91%"));
        assertThat(robot.posts().get(0).mentionedList()).containsExactly("@all");
    }

    @Test
    void anUnknownKeyIsRefusedWith93000() throws Exception {
        JsonNode refused = post(wecom.baseUrl() + "/cgi-bin/webhook/send?key=not-a-robot", text("hi"));
        assertThat(refused.path("errcode").asInt()).isEqualTo(WeComErrors.INVALID_WEBHOOK_URL);
        assertThat(refused.path("errmsg").asText())
                .startsWith("invalid webhook url")
                .contains("more info at https://open.work.weixin.qq.com/devtool/query?e=93000");
        assertThat(robot.posts()).isEmpty();
    }

    @Test
    void contentOverItsByteLimitIsRefusedWith40058() throws Exception {
        assertThat(post(robot.webhookUrl(), text("a".repeat(FakeGroupRobot.MAX_TEXT_BYTES)))
                        .path("errcode")
                        .asInt())
                .isZero();
        JsonNode longText = post(robot.webhookUrl(), text("a".repeat(FakeGroupRobot.MAX_TEXT_BYTES + 1)));
        assertThat(longText.path("errcode").asInt()).isEqualTo(WeComErrors.INVALID_PARAMETER);
        assertThat(longText.path("errmsg").asText()).startsWith("text.content exceed max length 2048");
        JsonNode longMarkdown =
                post(robot.webhookUrl(), markdown("字".repeat(FakeGroupRobot.MAX_MARKDOWN_BYTES / 3 + 1)));
        assertThat(longMarkdown.path("errmsg").asText()).startsWith("markdown.content exceed max length 4096");
        assertThat(post(robot.webhookUrl(), "{\"msgtype\":\"location\",\"location\":{}}")
                        .path("errcode")
                        .asInt())
                .isEqualTo(WeComErrors.INVALID_MESSAGE_TYPE);
        assertThat(post(robot.webhookUrl(), "not json").path("errcode").asInt())
                .isEqualTo(WeComErrors.INVALID_PARAMETER);
        assertThat(robot.posts()).hasSize(1);
    }

    @Test
    void pastTheRateLimitPostsAreRefusedWith45009() throws Exception {
        robot.rateLimit(2, Duration.ofHours(1));
        assertThat(post(robot.webhookUrl(), text("1")).path("errcode").asInt()).isZero();
        assertThat(post(robot.webhookUrl(), text("2")).path("errcode").asInt()).isZero();
        JsonNode limited = post(robot.webhookUrl(), text("3"));
        assertThat(limited.path("errcode").asInt()).isEqualTo(WeComErrors.API_FREQ_OUT_OF_LIMIT);
        assertThat(limited.path("errmsg").asText()).startsWith("api freq out of limit");
        assertThat(robot.texts()).containsExactly("1", "2");
        assertThat(robot.calls()).isEqualTo(3);
    }

    @Test
    void scriptedFailuresRefuseTheNextPostsOnly() throws Exception {
        robot.failNext(1, WeComErrors.SYSTEM_BUSY, "system busy");
        assertThat(post(robot.webhookUrl(), text("first")).path("errcode").asInt())
                .isEqualTo(WeComErrors.SYSTEM_BUSY);
        assertThat(post(robot.webhookUrl(), text("again")).path("errcode").asInt())
                .isZero();
        assertThat(robot.texts()).containsExactly("again");
    }
}
