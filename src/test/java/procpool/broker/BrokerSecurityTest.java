package procpool.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import jakarta.jms.Connection;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded broker with accounts on: who may connect, and what each account may touch. */
class BrokerSecurityTest {

    @TempDir
    static Path dataDir;
    static EmbeddedBroker broker;
    static String url;

    @BeforeAll
    static void startSecuredBroker() throws Exception {
        broker = EmbeddedBroker.start("security-test", "127.0.0.1", 0, dataDir, false, 1024 * 1024, 10,
                new BrokerSecurity("service", "s3cret", "client", "c1ient"),
                List.of("procpool.tasks", "procpool.results"), List.of("procpool.jobs", "procpool.status"));
        url = "tcp://127.0.0.1:" + broker.port();
    }

    @AfterAll
    static void stop() throws Exception {
        broker.close();
    }

    private static Connection connect(String username, String password) throws Exception {
        ActiveMQConnectionFactory factory = JmsConnections.clientFactory(url, username, password);
        factory.setAlwaysSyncSend(true);
        Connection connection = factory.createConnection();
        connection.start();
        return connection;
    }

    @Test
    void aWrongPasswordIsRefused() {
        assertThatThrownBy(() -> connect("service", "guess").close()).isInstanceOf(JMSSecurityException.class);
    }

    @Test
    void anAnonymousConnectionIsRefused() {
        assertThatThrownBy(() -> connect(null, null).close()).isInstanceOf(JMSSecurityException.class);
    }

    @Test
    void theServiceAccountUsesEveryProcpoolQueue() throws Exception {
        try (Connection connection = connect("service", "s3cret")) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createProducer(session.createQueue("procpool.tasks")).send(session.createTextMessage("1"));
            assertThat(session.createConsumer(session.createQueue("procpool.tasks")).receive(5000)).isNotNull();
        }
    }

    @Test
    void theClientAccountMaySendJobsButNotTouchTheTaskQueue() throws Exception {
        try (Connection connection = connect("client", "c1ient")) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createProducer(session.createQueue("procpool.jobs")).send(session.createTextMessage("1"));
            assertThatThrownBy(() -> session.createProducer(session.createQueue("procpool.tasks")))
                    .isInstanceOf(JMSSecurityException.class).hasMessageContaining("not authorized to write");
            assertThatThrownBy(() -> session.createConsumer(session.createQueue("procpool.results")))
                    .isInstanceOf(JMSSecurityException.class);
        }
    }

    @Test
    void anObjectMessageIsRefused() throws Exception {
        try (Connection connection = connect("service", "s3cret")) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer jobs = session.createProducer(session.createQueue("procpool.jobs"));
            assertThatThrownBy(() -> jobs.send(session.createObjectMessage("a serialised java.lang.String")))
                    .hasMessageContaining("ObjectMessage refused");
        }
    }

    @Test
    void listeningBeyondLoopbackWithoutCredentialsIsRefused() {
        assertThatThrownBy(() -> EmbeddedBroker.start("open-test", "0.0.0.0", 0, dataDir.resolve("open"), false,
                1024, 10, BrokerSecurity.NONE, List.of(), List.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refusing to listen on 0.0.0.0 without credentials");
    }

    @Test
    void aPasswordlessAccountIsRejectedAsConfiguration() {
        assertThatThrownBy(() -> new BrokerSecurity("service", "", "", ""))
                .hasMessageContaining("procpool.broker.password must be set");
    }
}
