package procpool.cli;

import java.util.HashMap;
import java.util.Map;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;

import procpool.broker.AccountSettings;
import procpool.broker.BrokerLogin;
import procpool.broker.JmsConnections;
import procpool.config.Settings;

/**
 * How command-line JVMs ({@code worker}, {@code submit}, {@code status}) reach the coordinator's broker: the URL
 * from {@code --broker}, {@code procpool.broker.url} or the local default; the account as {@link BrokerLogin} finds
 * it: configured (for {@code submit} and {@code status} the client account first), else the service password the
 * coordinator keeps in {@code procpool.broker.data-dir} on this machine.
 */
final class BrokerClient {

    private BrokerClient() {
    }

    static String url(Settings settings, String brokerOption) {
        return ClientConfig.from(settings).url(brokerOption);
    }

    /** A started connection for {@code submit} and {@code status}; a refused login says which account was tried. */
    static Connection connect(Settings settings, String url) throws JMSException {
        BrokerLogin login = BrokerLogin.client(settings);
        Connection connection = JmsConnections.clientFactory(url, login.username(), login.password())
                .createConnection();
        try {
            connection.start();
            return connection;
        } catch (JMSException e) {
            connection.close();
            // ActiveMQ sometimes hangs up on a refused login before its answer reaches the client (then a plain
            // "Disposed due to prior exception"): say which account was tried either way
            JMSException failed = e instanceof JMSSecurityException
                    ? new JMSSecurityException("the broker " + url + " refused the login (" + login.refusalAdvice()
                            + "): " + e.getMessage(), e.getErrorCode())
                    : new JMSException("cannot connect to the broker " + url + " (" + login.refusalAdvice() + "): "
                            + e.getMessage(), e.getErrorCode());
            failed.setLinkedException(e);
            failed.initCause(e);
            throw failed;
        }
    }

    /**
     * The settings with the service account {@link BrokerLogin#service} finds filled in, for a worker: it reads
     * {@code procpool.broker.username} and {@code password}.
     */
    static Map<String, String> withServiceLogin(Settings settings, Map<String, String> flags) {
        BrokerLogin login = BrokerLogin.service(settings);
        Map<String, String> withLogin = new HashMap<>(flags);
        if (login.present()) {
            withLogin.put(AccountSettings.USERNAME_KEY, login.username());
            withLogin.put(AccountSettings.PASSWORD_KEY, login.password());
        }
        return withLogin;
    }
}
