package procpool.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import procpool.config.Settings;

/** Where the HTTP API listens and which account it asks for: like the broker, never beyond loopback without one. */
class HttpConfigTest {

    private static HttpConfig config(String... keyValues) {
        Map<String, String> flags = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            flags.put(keyValues[i], keyValues[i + 1]);
        }
        return HttpConfig.from(Settings.load(null, Map.of(), flags));
    }

    @Test
    void byDefaultItListensOnLoopbackPort8080WithoutLogin() {
        HttpConfig config = config();

        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.enabled()).isTrue();
        assertThat(config.loginRequired()).isFalse();
    }

    @Test
    void portZeroTurnsItOff() {
        assertThat(config("procpool.http.port", "0").enabled()).isFalse();
    }

    @Test
    void aPortOutOfRangeIsRefused() {
        assertThatThrownBy(() -> config("procpool.http.port", "70000"))
                .hasMessageContaining("procpool.http.port must be 0 (off) or a port 1-65535, was 70000");
    }

    @Test
    void beyondLoopbackWithoutAnAccountTheStartIsRefused() {
        assertThatThrownBy(() -> config("procpool.http.host", "0.0.0.0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("refusing to serve HTTP on 0.0.0.0 without credentials");
    }

    @Test
    void beyondLoopbackItsOwnAccountIsAsked() {
        HttpConfig config = config("procpool.http.host", "0.0.0.0", "procpool.http.username", "ops",
                "procpool.http.password", "pw");

        assertThat(config.loginRequired()).isTrue();
        assertThat(config.username()).isEqualTo("ops");
        assertThat(config.password()).isEqualTo("pw");
    }

    @Test
    void withoutAnAccountOfItsOwnTheBrokersClientAccountIsAsked() {
        HttpConfig config = config("procpool.http.host", "0.0.0.0", "procpool.broker.client-username", "alice",
                "procpool.broker.client-password", "apw");

        assertThat(config.username()).isEqualTo("alice");
        assertThat(config.password()).isEqualTo("apw");
        assertThat(config.source()).contains("client account");
    }

    @Test
    void aConfiguredAccountIsAskedOnLoopbackToo() {
        assertThat(config("procpool.http.password", "pw").loginRequired()).isTrue();
    }

    @Test
    void aPasswordAloneLogsInAsProcpool() {
        assertThat(config("procpool.http.password", "pw").username()).isEqualTo("procpool");
    }

    @Test
    void aUserWithoutAPasswordIsRefused() {
        assertThatThrownBy(() -> config("procpool.http.username", "ops"))
                .hasMessageContaining("an HTTP account ops without a password");
    }

    @Test
    void itsDescriptionNeverShowsThePassword() {
        assertThat(config("procpool.http.password", "s3cret").toString()).doesNotContain("s3cret")
                .contains("basic auth: procpool");
    }

    @Test
    void basicAuthAcceptsOnlyTheExactAccount() {
        BasicAuth auth = (BasicAuth) BasicAuth.of(config("procpool.http.username", "ops", "procpool.http.password", "pw"))
                .getEntries().get(0).getAuthenticationProviderFactory().createAuthenticationProvider(null);

        assertThat(auth.accepts("ops", "pw")).isTrue();
        assertThat(auth.accepts("ops", "pw2")).isFalse();
        assertThat(auth.accepts("op", "pw")).isFalse();
        assertThat(auth.accepts(null, null)).isFalse();
    }
}
