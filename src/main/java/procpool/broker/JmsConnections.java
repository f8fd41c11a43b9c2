package procpool.broker;

import java.util.List;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.ActiveMQPrefetchPolicy;
import org.apache.camel.component.jms.JmsComponent;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;

/** The two ways procpool talks JMS: the coordinator's pooled connection, and a worker's one-chunk-at-a-time one. */
public final class JmsConnections {

    private JmsConnections() {
    }

    /**
     * The coordinator's JMS: it sends many chunk messages, so sends go through a connection pool (else Camel would
     * open a connection per message); its results consumer uses a plain factory, since pools do not pool
     * consumers and a pooled listener session breaks on shutdown. Call {@link CoordinatorJms#close()} after Camel.
     */
    public static CoordinatorJms coordinator(String brokerUrl, String username, String password) {
        JmsPoolConnectionFactory pool = new JmsPoolConnectionFactory();
        ActiveMQConnectionFactory sending = clientFactory(brokerUrl, username, password);
        // a non-persistent send (a chunk on the embedded broker) would otherwise be one-way: a send the broker
        // refuses would be lost unseen, and flow control would hold the broker's thread instead of the sender
        sending.setAlwaysSyncSend(true);
        pool.setConnectionFactory(sending);
        pool.setMaxConnections(2);
        JmsComponent jms = new JmsComponent();
        jms.getConfiguration().setTemplateConnectionFactory(pool);
        jms.getConfiguration().setListenerConnectionFactory(clientFactory(brokerUrl, username, password));
        return new CoordinatorJms(jms, pool);
    }

    /** The coordinator's JMS component and the pool to stop after it. */
    public record CoordinatorJms(JmsComponent component, JmsPoolConnectionFactory pool) implements AutoCloseable {
        @Override
        public void close() {
            pool.stop();
        }
    }

    /**
     * A worker consumes transacted and sends its result on the very session it received the chunk on. That only
     * happens when consumer and producer share this one factory object, so it is neither pooled nor wrapped.
     * A low prefetch keeps chunks on the broker until a worker is free.
     */
    public static ActiveMQConnectionFactory workerFactory(String brokerUrl, int prefetch, String username,
                                                          String password) {
        ActiveMQConnectionFactory factory = clientFactory(brokerUrl, username, password);
        ActiveMQPrefetchPolicy prefetchPolicy = new ActiveMQPrefetchPolicy();
        prefetchPolicy.setAll(prefetch);
        factory.setPrefetchPolicy(prefetchPolicy);
        return factory;
    }

    public static JmsComponent component(jakarta.jms.ConnectionFactory factory) {
        JmsComponent jms = new JmsComponent();
        jms.setConnectionFactory(factory);
        return jms;
    }

    /**
     * A plain client factory with procpool's safe defaults (no advisories, no ObjectMessage classes trusted),
     * logging in when a user name is given.
     */
    public static ActiveMQConnectionFactory clientFactory(String brokerUrl, String username, String password) {
        ActiveMQConnectionFactory factory = baseFactory(brokerUrl);
        if (username != null && !username.isEmpty()) {
            factory.setUserName(username);
            factory.setPassword(password);
        }
        return factory;
    }

    private static ActiveMQConnectionFactory baseFactory(String brokerUrl) {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(brokerUrl);
        // procpool uses no advisories; watching them costs a consumer per connection
        factory.setWatchTopicAdvisories(false);
        // text and bytes only: never deserialize an ObjectMessage
        factory.setTrustAllPackages(false);
        factory.setTrustedPackages(List.of());
        return factory;
    }
}
