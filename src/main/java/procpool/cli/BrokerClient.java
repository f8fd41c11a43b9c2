package procpool.cli;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;

import procpool.broker.JmsConnections;
import procpool.config.Settings;

/**
 * How command-line JVMs ({@code worker}, {@code submit}, {@code status}) reach the coordinator's broker: the URL
 * from {@code --broker}, {@code procpool.broker.url} or the local default; for {@code submit} and {@code status},
 * the client account if one is set, else the service account.
 */
final class BrokerClient {

    private BrokerClient() {
    }

    static String url(Settings settings, String brokerOption) {
        if (brokerOption != null) {
            return brokerOption;
        }
        return settings.get("procpool.broker.url").isEmpty()
                ? "tcp://127.0.0.1:" + settings.get("procpool.broker.port")
                : settings.get("procpool.broker.url");
    }

    static Connection connect(Settings settings, String url) throws JMSException {
        boolean client = !settings.get("procpool.broker.client-username").isEmpty();
        String username = settings.get(client ? "procpool.broker.client-username" : "procpool.broker.username");
        String password = settings.get(client ? "procpool.broker.client-password" : "procpool.broker.password");
        Connection connection = JmsConnections.clientFactory(url, username, password).createConnection();
        connection.start();
        return connection;
    }
}
