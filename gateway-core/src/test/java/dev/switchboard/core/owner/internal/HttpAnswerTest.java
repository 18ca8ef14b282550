package dev.switchboard.core.owner.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpAnswerTest {
    private static HttpAnswer read(String response, int maxBody) throws IOException {
        return HttpAnswer.read(new ByteArrayInputStream(response.getBytes(StandardCharsets.ISO_8859_1)), maxBody);
    }

    @Test
    void readsTheBodyByContentLengthAndLeavesWhatFollows() throws Exception {
        HttpAnswer answer = read("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n{\"ok\":true}GARBAGE", 1024);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.text()).isEqualTo("{\"ok\":true}");
    }

    @Test
    void readsAChunkedBody() throws Exception {
        HttpAnswer answer = read(
                "HTTP/1.1 503 Service Unavailable\r\ntransfer-encoding: chunked\r\n\r\n4;x=y\r\n{\"a\"\r\n3\r\n:1}\r\n0\r\n\r\n",
                1024);

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.text()).isEqualTo("{\"a\":1}");
    }

    @Test
    void readsToTheEndWithoutALengthAndCutsAtTheLimit() throws Exception {
        assertThat(read("HTTP/1.0 200 OK\r\n\r\nhello", 1024).text()).isEqualTo("hello");
        assertThat(read("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", 3).text())
                .isEqualTo("hel");
    }

    @Test
    void refusesWhatIsNotAnHttpResponse() {
        assertThatThrownBy(() -> read("SSH-2.0-OpenSSH_9.2\r\n\r\n", 1024))
                .hasMessageContaining("not an HTTP response");
        assertThatThrownBy(() -> read("HTTP/1.1 2xx OK\r\n\r\n", 1024)).hasMessageContaining("not an HTTP status");
        assertThatThrownBy(() -> read("HTTP/1.1 200 OK\r\nContent-Le", 1024))
                .hasMessageContaining("closed before the response headers ended");
    }
}
