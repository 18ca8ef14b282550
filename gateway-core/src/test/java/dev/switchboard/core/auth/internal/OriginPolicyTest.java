package dev.switchboard.core.auth.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.core.config.internal.Origin;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OriginPolicyTest {
    private final OriginPolicy sameOriginOnly = new OriginPolicy(List.of());

    @Test
    void aRequestWithoutOriginIsNotABrowserAndPasses() {
        assertThat(sameOriginOnly.check(Optional.empty(), Optional.of("127.0.0.1:18789")))
                .isEqualTo(new OriginPolicy.Decision(true, "no Origin header (not a browser)"));
        assertThat(sameOriginOnly.check(Optional.empty(), Optional.empty()).allowed())
                .isTrue();
    }

    @Test
    void theGatewaysOwnPageIsSameOrigin() {
        assertThat(allowed(sameOriginOnly, "http://127.0.0.1:18789", "127.0.0.1:18789"))
                .isTrue();
        assertThat(allowed(sameOriginOnly, "http://LOCALHOST:18789", "localhost:18789"))
                .isTrue();
        assertThat(allowed(sameOriginOnly, "http://[::1]:18789", "[::1]:18789")).isTrue();
        assertThat(sameOriginOnly
                        .check(Optional.of("http://127.0.0.1:18789"), Optional.of("127.0.0.1:18789"))
                        .message())
                .isEqualTo("same origin");
    }

    @Test
    void defaultPortsAreNormalisedOnBothSides() {
        assertThat(allowed(sameOriginOnly, "https://ops.example.com", "ops.example.com:443"))
                .isTrue();
        assertThat(allowed(sameOriginOnly, "https://ops.example.com:443", "ops.example.com"))
                .isTrue();
        assertThat(allowed(sameOriginOnly, "http://ops.example.com", "ops.example.com:80"))
                .isTrue();
        // the default port follows the Origin's scheme
        assertThat(allowed(sameOriginOnly, "https://ops.example.com", "ops.example.com:80"))
                .isFalse();
        assertThat(allowed(sameOriginOnly, "http://ops.example.com", "ops.example.com:443"))
                .isFalse();
    }

    @Test
    void anotherHostOrPortIsNotSameOrigin() {
        assertThat(allowed(sameOriginOnly, "http://127.0.0.1:18790", "127.0.0.1:18789"))
                .isFalse();
        assertThat(allowed(sameOriginOnly, "http://evil.example:18789", "127.0.0.1:18789"))
                .isFalse();
        assertThat(allowed(sameOriginOnly, "http://127.0.0.1:18789", "")).isFalse();
        assertThat(sameOriginOnly
                        .check(Optional.of("http://127.0.0.1:18789"), Optional.empty())
                        .allowed())
                .isFalse();
        // a Host header with a path or user info is not a host
        assertThat(allowed(sameOriginOnly, "http://127.0.0.1:18789", "127.0.0.1:18789/x"))
                .isFalse();
        assertThat(allowed(sameOriginOnly, "http://127.0.0.1:18789", "me@127.0.0.1:18789"))
                .isFalse();
    }

    @Test
    void allowlistedOriginsPassNormalised() {
        OriginPolicy policy = new OriginPolicy(List.of("HTTPS://Ops.Example.com:443/", "http://10.0.0.5:8080"));

        assertThat(policy.allowedOrigins())
                .containsExactlyInAnyOrder("https://ops.example.com", "http://10.0.0.5:8080");
        assertThat(allowed(policy, "https://ops.example.com", "gw.internal:18789"))
                .isTrue();
        assertThat(allowed(policy, "https://OPS.example.com:443", "gw.internal:18789"))
                .isTrue();
        assertThat(allowed(policy, "https://ops.example.com/", "gw.internal:18789"))
                .isTrue();
        assertThat(allowed(policy, "http://10.0.0.5:8080", "gw.internal:18789")).isTrue();
        assertThat(policy.check(Optional.of("https://ops.example.com"), Optional.of("gw.internal:18789"))
                        .message())
                .isEqualTo("origin allowed by gateway.control_ui.allowed_origins");
        // scheme and port are part of the origin
        assertThat(allowed(policy, "http://ops.example.com", "gw.internal:18789"))
                .isFalse();
        assertThat(allowed(policy, "https://ops.example.com:8443", "gw.internal:18789"))
                .isFalse();
        assertThat(allowed(policy, "http://10.0.0.5", "gw.internal:18789")).isFalse();
        assertThat(allowed(policy, "https://ops.example.com.evil.example", "gw.internal:18789"))
                .isFalse();
    }

    @Test
    void nullAndFileOriginsAreRefusedWithTheFix() {
        OriginPolicy policy = new OriginPolicy(List.of("https://ops.example.com"));

        for (String origin : List.of("null", "file://", "file:///home/me/ui.html", "chrome-extension://abc", "")) {
            OriginPolicy.Decision decision = policy.check(Optional.of(origin), Optional.of("127.0.0.1:18789"));
            assertThat(decision.allowed()).as(origin).isFalse();
            assertThat(decision.message())
                    .as(origin)
                    .isEqualTo("origin not allowed: " + origin + " (open the Control UI from the gateway host or add it"
                            + " to gateway.control_ui.allowed_origins)");
        }
    }

    @Test
    void theRefusalNamesTheOriginAndTheKey() {
        assertThat(sameOriginOnly
                        .check(Optional.of("https://evil.example"), Optional.of("127.0.0.1:18789"))
                        .message())
                .isEqualTo("origin not allowed: https://evil.example (open the Control UI from the gateway host or"
                        + " add it to gateway.control_ui.allowed_origins)");
        // a hostile header cannot forge log lines
        assertThat(sameOriginOnly
                        .check(Optional.of("https://evil.example\nok: forged"), Optional.of("127.0.0.1:18789"))
                        .message())
                .startsWith("origin not allowed: https://evil.example?ok: forged (")
                .doesNotContain("\n");
    }

    @Test
    void normalize() {
        assertThat(Origin.normalize("HTTPS://Ops.Example.COM:443/")).hasValue("https://ops.example.com");
        assertThat(Origin.normalize("http://ops.example.com:80")).hasValue("http://ops.example.com");
        assertThat(Origin.normalize("https://ops.example.com:80")).hasValue("https://ops.example.com:80");
        assertThat(Origin.normalize("http://[::1]:18789")).hasValue("http://[::1]:18789");
        assertThat(Origin.normalize(" https://a.example ")).hasValue("https://a.example");
        for (String bad : List.of(
                "ops.example.com",
                "https://ops.example.com/ui",
                "https://ops.example.com?x=1",
                "https://ops.example.com#x",
                "https://user@ops.example.com",
                "https://ops.example.com:0",
                "ftp://ops.example.com",
                "null",
                "*",
                "")) {
            assertThat(Origin.normalize(bad)).as(bad).isEmpty();
        }
    }

    @Test
    void aBadAllowlistEntryIsNamed() {
        assertThatThrownBy(() -> new OriginPolicy(List.of("https://ok.example", "ops.example.com")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not an origin: ops.example.com (expected: scheme http or https, host and optional port,"
                        + " no path)");
    }

    private static boolean allowed(OriginPolicy policy, String origin, String host) {
        return policy.check(Optional.of(origin), Optional.of(host)).allowed();
    }
}
