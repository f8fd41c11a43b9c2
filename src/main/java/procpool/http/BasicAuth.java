package procpool.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.AuthenticationProvider;
import io.vertx.ext.web.handler.AuthenticationHandler;
import io.vertx.ext.web.handler.BasicAuthHandler;

import org.apache.camel.component.platform.http.vertx.auth.AuthenticationConfig;

/**
 * HTTP basic auth against the one configured account, for every path of the coordinator's HTTP server but the two
 * health probes (an orchestrator's probe, a container healthcheck: they say UP or DOWN and which check is down, nothing
 * else). Compares in constant time; a refused request gets 401 with a {@code WWW-Authenticate} challenge.
 */
final class BasicAuth implements AuthenticationProvider {

    static final String REALM = "procpool";
    /** Paths served without login. */
    static final java.util.Set<String> OPEN_PATHS = java.util.Set.of("/health/live", "/health/ready");

    private final byte[] username;
    private final byte[] password;

    private BasicAuth(String username, String password) {
        this.username = username.getBytes(StandardCharsets.UTF_8);
        this.password = password.getBytes(StandardCharsets.UTF_8);
    }

    /** Camel's authentication config for the Vert.x server: every path asks for {@code config}'s account. */
    static AuthenticationConfig of(HttpConfig config) {
        AuthenticationConfig.AuthenticationConfigEntry entry = new AuthenticationConfig.AuthenticationConfigEntry();
        entry.setPath("/*");
        entry.setAuthenticationProviderFactory(vertx -> new BasicAuth(config.username(), config.password()));
        entry.setAuthenticationHandlerFactory(new AuthenticationConfig.AuthenticationHandlerFactory() {
            @Override
            public <T extends AuthenticationProvider> AuthenticationHandler createAuthenticationHandler(T provider) {
                AuthenticationHandler basic = BasicAuthHandler.create(provider, REALM);
                return context -> {
                    if (OPEN_PATHS.contains(context.normalizedPath())) {
                        context.next();
                    } else {
                        basic.handle(context);
                    }
                };
            }
        });
        AuthenticationConfig auth = new AuthenticationConfig(List.of(entry));
        auth.setEnabled(true);
        return auth;
    }

    boolean accepts(String user, String pass) {
        // both compared, always, so the time taken says nothing about which one was wrong
        boolean userMatches = MessageDigest.isEqual(username, bytes(user));
        boolean passwordMatches = MessageDigest.isEqual(password, bytes(pass));
        return userMatches & passwordMatches;
    }

    private static byte[] bytes(String text) {
        return text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void authenticate(JsonObject credentials, Handler<AsyncResult<User>> resultHandler) {
        resultHandler.handle(authenticate(credentials));
    }

    @Override
    public Future<User> authenticate(JsonObject credentials) {
        String user = credentials.getString("username");
        return accepts(user, credentials.getString("password"))
                ? Future.succeededFuture(User.fromName(user))
                : Future.failedFuture("wrong user name or password");
    }
}
