package procpool.broker;

import java.util.Map;

import procpool.config.Settings;

/**
 * The account a JMS connection logs in with, and where it came from (for messages; never the password). Found the
 * same way by every client: the configured account, else the service account in the local credentials file of
 * {@code procpool.broker.data-dir} (see {@link LocalCredentials}), else none.
 *
 * @param username empty: no login
 * @param password its password
 * @param source   where the account was found, e.g. {@code procpool.broker.username} or the file's path
 */
public record BrokerLogin(String username, String password, String source) {

    /** The service account's name when only a password is given (and of the generated account). */
    static final String DEFAULT_SERVICE_USERNAME = "procpool";
    public static final BrokerLogin NONE = new BrokerLogin("", "", "no login");

    public BrokerLogin {
        username = username == null ? "" : username;
        password = password == null ? "" : password;
        source = source == null ? "" : source;
    }

    public boolean present() {
        return !username.isEmpty();
    }

    /**
     * The service account as configured ({@code procpool.broker.username} / {@code password}, usually from the
     * environment); a password alone logs in as {@value #DEFAULT_SERVICE_USERNAME}, so a copied generated password
     * works on its own. No login when neither is set.
     */
    public static BrokerLogin configuredService(Settings settings) {
        return configuredService(AccountSettings.from(settings));
    }

    /** See {@link #configuredService(Settings)}. */
    public static BrokerLogin configuredService(AccountSettings accounts) {
        String username = accounts.username();
        if (username.isEmpty() && !accounts.password().isEmpty()) {
            username = DEFAULT_SERVICE_USERNAME;
        }
        return new BrokerLogin(username, accounts.password(),
                AccountSettings.USERNAME_KEY + " / " + AccountSettings.PASSWORD_KEY);
    }

    /**
     * Workers, a coordinator on an external broker, {@code ProcessPool.connect}: the configured service account,
     * else the one in the local credentials file.
     */
    public static BrokerLogin service(Settings settings) {
        return service(AccountSettings.from(settings));
    }

    /** See {@link #service(Settings)}. */
    public static BrokerLogin service(AccountSettings accounts) {
        BrokerLogin configured = configuredService(accounts);
        if (configured.present()) {
            return configured;
        }
        return LocalCredentials.find(accounts.dataDir()).orElseGet(() -> new BrokerLogin(
                "", "", "no credentials configured and no " + LocalCredentials.file(accounts.dataDir())));
    }

    /** {@code submit} and {@code status}: the client account if one is set, else {@link #service}. */
    public static BrokerLogin client(Settings settings) {
        AccountSettings accounts = AccountSettings.from(settings);
        if (!accounts.clientUsername().isEmpty()) {
            return new BrokerLogin(accounts.clientUsername(), accounts.clientPassword(),
                    "procpool.broker.client-username / procpool.broker.client-password");
        }
        return service(accounts);
    }

    /** The account as a child JVM's environment: workers get credentials there, never on their command line. */
    public Map<String, String> environment() {
        return present() ? Map.of(Settings.environmentName(AccountSettings.USERNAME_KEY), username,
                Settings.environmentName(AccountSettings.PASSWORD_KEY), password) : Map.of();
    }

    /** What went wrong when the broker refused this login, and what to do about it. */
    public String refusalAdvice() {
        return present() ? "logged in as " + username + " from " + source
                : source + ": set PROCPOOL_BROKER_PASSWORD (and PROCPOOL_BROKER_USERNAME), or procpool.broker.data-dir "
                        + "to the coordinator's data folder";
    }

    /** Never the password: logins end up in logs and exception messages. */
    @Override
    public String toString() {
        return present() ? "BrokerLogin[" + username + " from " + source + "]" : "BrokerLogin[none: " + source + "]";
    }
}
