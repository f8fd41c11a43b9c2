package procpool.http;

import java.net.InetAddress;
import java.net.UnknownHostException;

import procpool.config.Settings;

/**
 * The coordinator's HTTP endpoint as the settings describe it: where it listens ({@code procpool.http.host},
 * {@code procpool.http.port}, 0 = off) and the basic-auth account it asks for: its own ({@code procpool.http.username}
 * / {@code password}), else the broker's client account, else none. Like the broker, it listens beyond loopback only
 * with an account: there is no default password.
 *
 * @param username empty when no account is configured (then only loopback is allowed, and no login is asked)
 * @param source   where the account came from, for the log (never the password)
 */
public record HttpConfig(String host, int port, String username, String password, String source) {

    /** The user name of an account given by its password alone, as for the broker. */
    static final String DEFAULT_USER = "procpool";

    /**
     * Reads and checks the settings.
     *
     * @throws IllegalArgumentException for a port outside 0-65535, or a host beyond loopback without an account
     */
    public static HttpConfig from(Settings settings) {
        String host = settings.get("procpool.http.host");
        int port = settings.getInt("procpool.http.port");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("procpool.http.port must be 0 (off) or a port 1-65535, was " + port);
        }
        String user = settings.get("procpool.http.username");
        String password = settings.get("procpool.http.password");
        String source = "procpool.http.username/password";
        if (password.isEmpty() && user.isEmpty()) {
            user = settings.get("procpool.broker.client-username");
            password = settings.get("procpool.broker.client-password");
            source = "the broker's client account (procpool.broker.client-username/password)";
        }
        if (!password.isEmpty() && user.isEmpty()) {
            user = DEFAULT_USER;
        }
        if (password.isEmpty()) {
            if (!user.isEmpty()) {
                throw new IllegalArgumentException("an HTTP account " + user + " without a password: set "
                        + "procpool.http.password (PROCPOOL_HTTP_PASSWORD) too; there is no default password");
            }
            user = "";
            source = "none";
        }
        HttpConfig config = new HttpConfig(host, port, user, password, source);
        if (config.enabled() && !config.loginRequired() && !isLoopback(host)) {
            throw new IllegalArgumentException("refusing to serve HTTP on " + host + " without credentials: set "
                    + "procpool.http.username and procpool.http.password (PROCPOOL_HTTP_USERNAME / "
                    + "PROCPOOL_HTTP_PASSWORD) or the broker's client account, or listen on 127.0.0.1 "
                    + "(procpool.http.port=0 turns HTTP off)");
        }
        return config;
    }

    public boolean enabled() {
        return port != 0;
    }

    /** True when requests must carry the account (basic auth): whenever one is configured, on any address. */
    public boolean loginRequired() {
        return !password.isEmpty();
    }

    /** For logs: never the password. */
    @Override
    public String toString() {
        return "http://" + host + ":" + port + (loginRequired() ? " (basic auth: " + username + " from " + source + ")"
                : " (no login: loopback only)");
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
