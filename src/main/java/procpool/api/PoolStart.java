package procpool.api;

import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;

import procpool.broker.BrokerLogin;
import procpool.broker.JmsConnections;

/** Makes a {@link ProcessPool}: with a private broker and workers, or connected to a coordinator's. */
final class PoolStart {

    private PoolStart() {
    }

    /** Starts the private broker and the worker JVMs ({@link ProcessPool.Builder#build()}). */
    static ProcessPool local(PoolConfig config) {
        LocalPoolRuntime.checkInitializer(config);
        LocalPoolRuntime runtime = null;
        try {
            runtime = LocalPoolRuntime.start(config);
            String prefix = PoolCalls.newPoolPrefix();
            WorkerDeaths deaths = new WorkerDeaths();
            PoolClient client = new PoolClient(runtime.clientFactory(), config.taskQueue(), false, prefix, deaths);
            PoolCalls calls = new PoolCalls(client, deaths, prefix, runtime.brokerUrl());
            PoolLifecycle lifecycle = new PoolLifecycle(calls, client, runtime);
            ProcessPool pool = new ProcessPool(config, calls, lifecycle, runtime, runtime.login());
            // once the pool hears of the workers' exits
            runtime.startWorkers(exit -> lifecycle.workerExited(exit, deaths));
            return pool;
        } catch (Exception e) {
            if (runtime != null) {
                try {
                    runtime.closeBroker();
                } catch (Exception ignored) {
                    // reporting the first failure matters more
                }
            }
            throw new ProcessPoolException("cannot start the pool: " + e.getMessage(), e);
        }
    }

    /**
     * Uses a running coordinator's broker and workers ({@link ProcessPool.Builder#connect}): logs in with the
     * configured credentials, else with the service login a worker on this machine would find.
     */
    static ProcessPool connected(PoolConfig config, String brokerUrl) {
        BrokerLogin login;
        try {
            login = config.username() != null
                    ? new BrokerLogin(config.username(), config.password(), "credentials(...)")
                    : BrokerLogin.service(PoolConfig.environmentSettings());
        } catch (RuntimeException e) {
            throw new ProcessPoolException("cannot find the login for the broker " + brokerUrl + ": "
                    + e.getMessage(), e);
        }
        try {
            String prefix = PoolCalls.newPoolPrefix();
            // the coordinator's workers are not ours: their exit codes stay unknown
            WorkerDeaths deaths = new WorkerDeaths();
            PoolClient client = new PoolClient(JmsConnections.clientFactory(brokerUrl, login.username(),
                    login.password()), config.taskQueue(), true, prefix, deaths);
            PoolCalls calls = new PoolCalls(client, deaths, prefix, brokerUrl);
            return new ProcessPool(config, calls, new PoolLifecycle(calls, client, null), null, login);
        } catch (JMSSecurityException e) {
            throw new ProcessPoolException("the broker " + brokerUrl + " refused the login ("
                    + login.refusalAdvice() + "): " + e.getMessage(), e);
        } catch (JMSException e) {
            throw new ProcessPoolException("cannot connect to the broker " + brokerUrl + " ("
                    + login.refusalAdvice() + "): " + e.getMessage(), e);
        }
    }
}
