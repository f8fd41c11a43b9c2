package procpool.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import procpool.config.Settings;
import procpool.coordinator.Coordinator;

/** The embedded broker's accounts: who may connect, and what each account may touch; configured or generated. */
class BrokerSecurityTest {

    @TempDir
    static Path dataDir;
    static EmbeddedBroker broker;
    static String url;

    @BeforeAll
    static void startSecuredBroker() throws Exception {
        broker = EmbeddedBroker.start(BrokerConfig.local("security-test", dataDir, false, 1024 * 1024, 10)
                .withSecurity(new BrokerSecurity("service", "s3cret", "client", "c1ient"),
                        List.of("procpool.tasks", "procpool.results"), List.of("procpool.jobs", "procpool.status")));
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

    /**
     * A refused login: ActiveMQ answers with a JMSSecurityException, except when it hangs up before its answer is
     * read (about 1 in 3000 logins on a loaded machine): then the client sees the connection end at login.
     */
    static void assertRefused(ThrowingCallable login) {
        assertThatThrownBy(login).isInstanceOf(JMSException.class).satisfiesAnyOf(
                refusal -> assertThat(refusal).isInstanceOf(JMSSecurityException.class),
                refusal -> assertThat(refusal).hasRootCauseInstanceOf(EOFException.class));
    }

    @Test
    void aWrongPasswordIsRefused() {
        assertRefused(() -> connect("service", "guess").close());
    }

    @Test
    void anAnonymousConnectionIsRefused() {
        assertRefused(() -> connect(null, null).close());
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
        assertThatThrownBy(() -> EmbeddedBroker.start(BrokerConfig.local("open-test", dataDir.resolve("open"), false,
                1024, 10).withHost("0.0.0.0")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refusing to listen on 0.0.0.0 without credentials");
    }

    @Test
    void anInJvmConnectionThatGivesAUserNameIsAuthenticatedAsUsual() {
        assertRefused(() -> {
            try (Connection connection = JmsConnections.clientFactory(broker.vmUrl(), "service", "guess")
                    .createConnection()) {
                connection.start();
            }
        });
    }

    @Test
    void passwordsNeverShowInToString() {
        BrokerSecurity security = new BrokerSecurity("service", "s3cret", "client", "c1ient");
        assertThat(security.toString()).contains("service", "client").doesNotContain("s3cret", "c1ient");
        assertThat(security.serviceLogin("test").toString()).contains("service").doesNotContain("s3cret");
    }

    @Test
    void theBrokersDataFolderIsReadableOnlyByItsOwnerWithConfiguredCredentialsToo() throws Exception {
        Path store = dataDir.resolve("configured-store");
        Settings settings = Settings.load(null, Map.of("PROCPOOL_BROKER_PASSWORD", "s3cret"), Map.of(
                "procpool.broker.port", "0", "procpool.broker.data-dir", store.toString(),
                "procpool.broker.persistent", "false"));
        try (EmbeddedBroker configured = Coordinator.startBroker(settings)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store))).isEqualTo("rwx------");
            assertThat(configured.security().username()).isEqualTo("procpool");
            assertThat(LocalCredentials.file(store)).doesNotExist();
        }
    }

    @Test
    void aPasswordlessAccountIsRejectedAsConfiguration() {
        assertThatThrownBy(() -> new BrokerSecurity("service", "", "", ""))
                .hasMessageContaining("procpool.broker.password must be set");
    }

    /**
     * D9: with nothing configured, the coordinator's broker used to take anonymous connections, so any local process
     * could take a chunk from procpool.tasks or put a forged result on procpool.results (its lines replacing the
     * real ones, the batch reported done). Now it generates a service password and refuses every tcp login without it.
     */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class WithNoCredentialsConfigured {

        Path root;
        Path data;
        Settings settings;
        EmbeddedBroker coordinatorBroker;
        String tcpUrl;

        @BeforeAll
        void startTheBrokerAsTheCoordinatorDoes() throws Exception {
            root = Files.createDirectory(dataDir.resolve("unconfigured"));
            data = root.resolve("data");
            settings = settings(Map.of());
            coordinatorBroker = Coordinator.startBroker(settings);
            tcpUrl = "tcp://127.0.0.1:" + coordinatorBroker.port();
        }

        @AfterAll
        void stopIt() throws Exception {
            coordinatorBroker.close();
        }

        private Settings settings(Map<String, String> environment) {
            return Settings.load(null, environment, Map.of("procpool.broker.port", "0",
                    "procpool.broker.data-dir", data.toString(), "procpool.broker.persistent", "false"));
        }

        private Connection connectOverTcp(BrokerLogin login) throws Exception {
            ActiveMQConnectionFactory factory = JmsConnections.clientFactory(tcpUrl, login.username(),
                    login.password());
            factory.setAlwaysSyncSend(true);
            Connection connection = factory.createConnection();
            connection.start();
            return connection;
        }

        @Test
        void anAnonymousLocalClientCannotTakeAChunk() throws Exception {
            try (Connection coordinator = JmsConnections.clientFactory(coordinatorBroker.vmUrl(), null, null)
                    .createConnection()) {
                Session session = coordinator.createSession(false, Session.AUTO_ACKNOWLEDGE);
                session.createProducer(session.createQueue("procpool.tasks")).send(session.createTextMessage("chunk"));
            }
            assertRefused(() -> {
                try (Connection thief = connectOverTcp(BrokerLogin.NONE)) {
                    Session session = thief.createSession(false, Session.AUTO_ACKNOWLEDGE);
                    session.createConsumer(session.createQueue("procpool.tasks")).receive(2000);
                }
            });
            assertThat(coordinatorBroker.queueStats("procpool.tasks").waiting()).isEqualTo(1);
        }

        @Test
        void anAnonymousLocalClientCannotForgeAResult() {
            assertRefused(() -> {
                try (Connection forger = connectOverTcp(BrokerLogin.NONE)) {
                    Session session = forger.createSession(false, Session.AUTO_ACKNOWLEDGE);
                    session.createProducer(session.createQueue("procpool.results"))
                            .send(session.createTextMessage("[\"forged\"]"));
                }
            });
            assertThat(coordinatorBroker.queueStats("procpool.results").waiting()).isZero();
        }

        @Test
        void theGeneratedPasswordIsKeptInTheDataFolderReadableOnlyByItsOwner() throws Exception {
            Path file = data.resolve("service-credentials.properties");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
            assertThat(Files.readString(file)).contains("procpool.broker.password=");
            assertThat(LocalCredentials.find(data).orElseThrow().password()).hasSizeGreaterThanOrEqualTo(43);
            try (Stream<Path> files = Files.list(data)) {
                assertThat(files.map(path -> path.getFileName().toString()))
                        .noneMatch(name -> name.endsWith(".partial"));
            }
        }

        @Test
        void theGeneratedPasswordIsReusedAtTheNextStart() {
            assertThat(Coordinator.security(settings).password())
                    .isEqualTo(coordinatorBroker.security().password())
                    .isEqualTo(LocalCredentials.find(data).orElseThrow().password());
        }

        @Test
        void aClientOnThisMachineLogsInWithThePasswordFromTheDataFolder() throws Exception {
            BrokerLogin login = BrokerLogin.client(settings);
            assertThat(login.source()).isEqualTo(data.resolve("service-credentials.properties").toString());
            try (Connection connection = connectOverTcp(login)) {
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                session.createProducer(session.createQueue("procpool.status")).send(session.createTextMessage("hi"));
                assertThat(session.createConsumer(session.createQueue("procpool.status")).receive(5000)).isNotNull();
            }
        }

        @Test
        void theGeneratedPasswordCopiedIntoTheEnvironmentLogsInAlone() throws Exception {
            String copied = LocalCredentials.find(data).orElseThrow().password();
            Settings elsewhere = Settings.load(null, Map.of("PROCPOOL_BROKER_PASSWORD", copied),
                    Map.of("procpool.broker.data-dir", root.resolve("no-such-folder").toString()));
            BrokerLogin login = BrokerLogin.client(elsewhere);
            assertThat(login.username()).isEqualTo("procpool");
            connectOverTcp(login).close();
        }

        @Test
        void aClientWithoutPasswordOrFileIsToldWhereToLook() {
            Settings elsewhere = Settings.load(null, Map.of(),
                    Map.of("procpool.broker.data-dir", root.resolve("no-such-folder").toString()));
            BrokerLogin login = BrokerLogin.client(elsewhere);
            assertThat(login.present()).isFalse();
            assertThat(login.refusalAdvice()).contains(root.resolve("no-such-folder")
                    .resolve("service-credentials.properties").toString(), "PROCPOOL_BROKER_PASSWORD");
        }

        @Test
        void localWorkersGetThePasswordInTheirEnvironment() {
            assertThat(BrokerLogin.service(settings).environment())
                    .containsEntry("PROCPOOL_BROKER_USERNAME", "procpool")
                    .containsEntry("PROCPOOL_BROKER_PASSWORD", coordinatorBroker.security().password());
        }

        @Test
        void theCoordinatorsOwnInJvmConnectionsNeedNoLogin() throws Exception {
            try (Connection connection = JmsConnections.clientFactory(coordinatorBroker.vmUrl(), null, null)
                    .createConnection()) {
                connection.start();
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                session.createProducer(session.createQueue("procpool.results")).send(session.createTextMessage("1"));
                assertThat(session.createConsumer(session.createQueue("procpool.results")).receive(5000)).isNotNull();
            }
        }

        @Test
        void listeningBeyondLoopbackStillNeedsConfiguredCredentials() {
            Settings exposed = Settings.load(null, Map.of(), Map.of("procpool.broker.host", "0.0.0.0",
                    "procpool.broker.data-dir", root.resolve("exposed").toString()));
            assertThatThrownBy(() -> Coordinator.security(exposed))
                    .hasMessageContaining("refusing to listen on 0.0.0.0 without credentials");
            assertThat(root.resolve("exposed")).doesNotExist();
        }
    }

    @Test
    void aBrokerStartedWithoutAccountsRefusesAnonymousTcpButLetsItsServiceAccountIn(@TempDir Path privateDir)
            throws Exception {
        try (EmbeddedBroker pool = EmbeddedBroker.start(BrokerConfig.local("private-test", privateDir, false, 1024 * 1024,
                10))) {
            String tcp = "tcp://127.0.0.1:" + pool.port();
            assertRefused(() -> {
                try (Connection connection = JmsConnections.clientFactory(tcp, null, null).createConnection()) {
                    connection.start();
                }
            });
            try (Connection connection = JmsConnections.clientFactory(tcp, pool.security().username(),
                    pool.security().password()).createConnection()) {
                connection.start();
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                session.createProducer(session.createQueue("procpool.tasks")).send(session.createTextMessage("1"));
                assertThat(session.createConsumer(session.createQueue("procpool.tasks")).receive(5000)).isNotNull();
            }
        }
    }
}
