package procpool.supervisor;

import java.nio.file.Path;

import procpool.config.Settings;

/**
 * How a {@link WorkerSupervisor} runs its workers, built once by its owner: the coordinator from its settings, the
 * Java API's pool with its own values.
 *
 * @param workers                how many worker JVMs to keep running
 * @param restartDelayMillis     wait before replacing a worker that died (doubled while workers keep dying young)
 * @param stopTimeoutMillis      how long a stopping worker may take before it is killed
 * @param announce               log routine starts and stops at INFO (a coordinator) or only at DEBUG (a library
 *                               pool, whose caller owns the console); deaths are warned about either way
 * @param heartbeatDir           where each worker's heartbeat file (and what it records next to it) lives
 * @param itemTimeoutMillis      longest an item may run (the workers enforce it themselves; the {@link Watchdog}
 *                               kills one still on its item {@code heartbeatTimeoutMillis} later); 0 for no limit
 * @param heartbeatTimeoutMillis longest a worker may go without a heartbeat
 */
public record SupervisorConfig(int workers, long restartDelayMillis, long stopTimeoutMillis, boolean announce,
                               Path heartbeatDir, long itemTimeoutMillis, long heartbeatTimeoutMillis) {

    /** A coordinator's local workers, announced at INFO. */
    public static SupervisorConfig of(Settings settings, int workers, Path heartbeatDir) {
        return new SupervisorConfig(workers, settings.getInt("procpool.worker.restart-delay-ms"),
                settings.getInt("procpool.worker.stop-timeout-ms"), true, heartbeatDir,
                settings.getInt("procpool.worker.item-timeout-ms"),
                settings.getInt("procpool.worker.heartbeat-timeout-ms"));
    }
}
