package procpool.coordinator;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.camel.ProducerTemplate;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import procpool.batch.BatchTracker;
import procpool.batch.StartedBatch;
import procpool.broker.AccountSettings;
import procpool.broker.BrokerConfig;
import procpool.broker.BrokerLogin;
import procpool.broker.BrokerSecurity;
import procpool.broker.EmbeddedBroker;
import procpool.broker.JmsConnections;
import procpool.broker.LocalCredentials;
import procpool.config.Settings;
import procpool.http.Dashboard;
import procpool.http.HttpConfig;
import procpool.http.HttpEndpoint;
import procpool.routes.CoordinatorRoutes;
import procpool.supervisor.WorkerSupervisor;

/**
 * The coordinator JVM's boot: its parts come from {@link CoordinatorConfiguration} (tracker, broker connection,
 * supervisor, routes); this starts them, broker, Camel, workers, and stops them in the reverse order, so workers can
 * still hand in their last results and nothing is left running.
 */
public final class Coordinator {

    private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);
    private static final long SHUTDOWN_WAIT_SECONDS = 60;
    /** Exit code of a coordinator that stopped because its embedded broker failed (its store could not be written). */
    public static final int EXIT_BROKER_FAILED = 3;

    private Coordinator() {
    }

    /** Runs until the JVM is asked to stop (Ctrl-C, SIGTERM); returns the exit code. */
    public static int run(Settings settings, Path configFile) throws Exception {
        // checked first: an HTTP endpoint that may not listen where it is told stops the start before anything runs
        HttpConfig http = HttpConfig.from(settings);
        if (http.enabled()) {
            HttpEndpoint.checkAddressFree(http);
        }
        CoordinatorConfiguration config = new CoordinatorConfiguration(settings, configFile);
        BatchTracker batches = config.batches();
        CoordinatorConfiguration.BrokerConnection connection;
        if (settings.getBoolean("procpool.broker.embedded")) {
            BrokerSecurity security = security(settings);
            EmbeddedBroker started = startBroker(settings, security);
            connection = config.embeddedBroker(started, security.serviceLogin(serviceLoginSource(settings)));
        } else {
            connection = config.externalBroker();
        }
        EmbeddedBroker broker = connection.embedded();
        JmsConnections.CoordinatorJms jms = config.jms(connection);
        WorkerSupervisor supervisor = config.supervisor(connection);
        StatusReport status = config.statusReport(connection, supervisor);
        Main main = new Main();
        AtomicReference<String> brokerFailure = new AtomicReference<>();
        CoordinatorHttp requests = config.requests(connection, supervisor, status, brokerFailure::get);
        if (broker != null) {
            stopWhenTheBrokerFails(broker, main, batches, brokerFailure, settings);
        }
        main.setOverrideProperties(config.camelProperties(connection));
        main.bind("jms", jms.component());
        for (RoutesBuilder routes : config.routes(requests)) {
            main.configure().addRoutesBuilder(routes);
        }
        HttpEndpoint endpoint = http.enabled() ? new HttpEndpoint(http, requests) : null;
        WorkerBoard board = http.enabled() ? new WorkerBoard(config.workerTopic()) : null;
        Dashboard dashboard = http.enabled() ? new Dashboard(new CoordinatorDashboard(requests, supervisor, board))
                : null;
        if (board != null) {
            main.configure().addRoutesBuilder(board);
        }
        if (endpoint != null) {
            main.configure().addRoutesBuilder(endpoint);
        }
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport ignored) {
                if (endpoint != null) {
                    try {
                        endpoint.installServer(main.getCamelContext());
                    } catch (Exception e) {
                        throw new IllegalStateException("cannot set up the HTTP server on " + http + ": " + e, e);
                    }
                }
            }

            @Override
            public void afterStart(BaseMainSupport ignored) {
                supervisor.start();
                installDashboard(dashboard, main, http);
                continueSending(main, config.resumed());
                LOG.info("{}", config.readyLine(connection.workerUrl()));
                LOG.info("{}", http.enabled() ? "HTTP API on " + http : "HTTP API off (procpool.http.port=0)");
            }

            @Override
            public void beforeStop(BaseMainSupport ignored) {
                supervisor.close();
            }
        });
        // On SIGTERM the JVM exits once its shutdown hooks are done, not when main() is: this hook stops the
        // workers even if Camel's stop never runs, and holds the JVM until the broker below is closed cleanly.
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            supervisor.close();
            try {
                stopped.await(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "coordinator-shutdown"));
        try {
            main.run();
            return brokerFailure.get() != null ? EXIT_BROKER_FAILED : main.getExitCode();
        } finally {
            if (dashboard != null) {
                dashboard.close();
            }
            supervisor.close();
            requests.close();
            jms.close();
            if (broker != null) {
                broker.close();
            }
            LOG.info("coordinator stopped");
            stopped.countDown();
        }
    }

    /**
     * Without its broker the coordinator can only fail every input, so when the embedded broker fails (a full disk
     * under its store stops it) the coordinator stops too, with a clear error and {@link #EXIT_BROKER_FAILED}. Batches
     * in progress are not failed: their inputs stay in {@code .inprogress} and resume or run again at the next start.
     */
    private static void stopWhenTheBrokerFails(EmbeddedBroker broker, Main main, BatchTracker batches,
                                               AtomicReference<String> brokerFailure, Settings settings) {
        broker.onFailure(cause -> {
            brokerFailure.set(cause);
            batches.halt("the embedded broker failed");
            LOG.error("the embedded broker failed: {}; the coordinator stops (exit code {}). Batches in progress are "
                            + "kept and resume or run again at the next start: free space under {} (or fix that disk) "
                            + "and start the coordinator again", cause, EXIT_BROKER_FAILED,
                    settings.getPath("procpool.broker.data-dir"));
            main.completed();
        });
    }

    private static void installDashboard(Dashboard dashboard, Main main, HttpConfig http) {
        if (dashboard != null) {
            try {
                dashboard.install(main.getCamelContext(), http.port());
                LOG.info("dashboard on http://{}:{}/", http.host(), http.port());
            } catch (Exception e) {
                LOG.error("the dashboard is off: {}", e.toString());
            }
        }
    }

    /** Sends the chunks interrupted batches still lack, through the same batch sender as new batches. */
    private static void continueSending(Main main, List<StartedBatch> resumed) {
        try (ProducerTemplate template = main.getCamelContext().createProducerTemplate()) {
            for (StartedBatch rest : resumed) {
                template.sendBodyAndHeaders(CoordinatorRoutes.BATCHES, rest, rest.headers());
            }
        } catch (Exception e) {
            LOG.error("cannot continue the interrupted batches: {}", e.toString());
        }
    }

    /** The broker as the settings describe it: address, store, limits, accounts and the queues they may use. */
    public static EmbeddedBroker startBroker(Settings settings) throws Exception {
        return startBroker(settings, security(settings));
    }

    private static EmbeddedBroker startBroker(Settings settings, BrokerSecurity security) throws Exception {
        LocalCredentials.createPrivateFolder(settings.getPath("procpool.broker.data-dir"));
        return EmbeddedBroker.start(BrokerConfig.from(settings, security));
    }

    /**
     * The broker accounts, from settings (usually the environment: no password is shipped). Without a configured
     * service account: the one generated at the first start and kept in the data folder, readable only by this user,
     * where local workers and clients find it ({@link LocalCredentials}). That one is for this machine: listening
     * beyond loopback still needs configured credentials.
     */
    public static BrokerSecurity security(Settings settings) {
        AccountSettings accounts = AccountSettings.from(settings);
        BrokerLogin service = BrokerLogin.configuredService(accounts);
        if (!service.present()) {
            BrokerSecurity.NONE.checkMayListenOn(settings.get("procpool.broker.host"));
            service = LocalCredentials.loadOrCreate(accounts.dataDir());
        }
        return new BrokerSecurity(service.username(), service.password(), accounts.clientUsername(),
                accounts.clientPassword());
    }

    /** Where {@link #security} found the service account, for logs. */
    public static String serviceLoginSource(Settings settings) {
        AccountSettings accounts = AccountSettings.from(settings);
        BrokerLogin configured = BrokerLogin.configuredService(accounts);
        return configured.present() ? configured.source() : LocalCredentials.file(accounts.dataDir()).toString();
    }
}
