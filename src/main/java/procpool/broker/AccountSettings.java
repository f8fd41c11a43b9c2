package procpool.broker;

import java.nio.file.Path;

import procpool.config.Settings;

/**
 * What the settings say about broker accounts, read once from {@link Settings}: the service account
 * ({@code procpool.broker.username} / {@code password}, usually from the environment), the optional client account
 * of {@code submit} and {@code status}, and the data folder whose credentials file holds the generated service
 * account. {@link BrokerLogin} decides from these which account a connection uses. Empty strings: not set.
 */
public record AccountSettings(String username, String password, String clientUsername, String clientPassword,
                              Path dataDir) {

    /** The key of the service account's name; a worker JVM is handed its account under these two keys. */
    public static final String USERNAME_KEY = "procpool.broker.username";
    /** The key of the service account's password. */
    public static final String PASSWORD_KEY = "procpool.broker.password";

    public static AccountSettings from(Settings settings) {
        return new AccountSettings(settings.get(USERNAME_KEY), settings.get(PASSWORD_KEY),
                settings.get("procpool.broker.client-username"), settings.get("procpool.broker.client-password"),
                settings.getPath("procpool.broker.data-dir"));
    }
}
