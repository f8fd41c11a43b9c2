package procpool.broker;

import java.util.Locale;
import java.util.Properties;

import procpool.config.Settings;

/**
 * Whether the coordinator sends chunk messages persistent (and so its workers their results, which follow their
 * chunk's delivery mode), from {@code procpool.chunk.persistent}: {@code auto}, {@code true} or {@code false}.
 *
 * <p>{@code auto} keeps chunks and results in memory when the broker is the coordinator's embedded one, and on disk
 * with an external broker. An embedded broker lives and dies with the coordinator, whose batch state (what was sent,
 * what is written) dies with it too: after a restart a batch resumes from its checkpoint on disk and sends every later
 * chunk again, or runs again from its input, so a chunk or result kept in the broker's store would only repeat work the
 * restart redoes anyway (and cost a synced journal write each). An external broker outlives the coordinator and keeps
 * chunks for workers that outlive it too, so there they stay persistent. Job messages, replies, dead letters and held
 * dead chunks are persistent whatever this says.
 */
public record ChunkDelivery(String setting, boolean persistent, String reason) {

    /** The setting. */
    public static final String SETTING = "procpool.chunk.persistent";
    /**
     * The Camel property the chunk-sending endpoints read ({@code deliveryPersistent}), derived from the setting at
     * the coordinator's start; absent (a route test's context), chunks are sent persistent, as they always were.
     */
    public static final String SEND_PERSISTENT_PROPERTY = "procpool.chunk.send-persistent";
    /** The endpoint options of a chunk send: persistent or not, as {@link #SEND_PERSISTENT_PROPERTY} says. */
    public static final String ENDPOINT_OPTIONS = "deliveryPersistent={{" + SEND_PERSISTENT_PROPERTY + ":true}}";

    /**
     * The delivery the settings ask for, the broker being embedded or not.
     *
     * @throws IllegalArgumentException "procpool.chunk.persistent: 'yes' is not auto, true or false"
     */
    public static ChunkDelivery of(Settings settings, boolean embeddedBroker) {
        return of(settings.get(SETTING), embeddedBroker);
    }

    /** {@link #of(Settings, boolean)} from the setting's value. */
    public static ChunkDelivery of(String value, boolean embeddedBroker) {
        String setting = value.strip().toLowerCase(Locale.ROOT);
        return switch (setting) {
            case "auto" -> embeddedBroker
                    ? new ChunkDelivery(setting, false, "the embedded broker stops with the coordinator, and a "
                    + "restarted coordinator sends again every chunk its batches lack")
                    : new ChunkDelivery(setting, true, "the external broker outlives the coordinator");
            case "true" -> new ChunkDelivery(setting, true, "forced");
            case "false" -> new ChunkDelivery(setting, false, "forced"
                    + (embeddedBroker ? "" : ": chunks on the external broker are lost if it stops; a batch sends "
                    + "them again only after procpool.batch.stall-timeout-ms"));
            default -> throw new IllegalArgumentException(SETTING + ": '" + value.strip()
                    + "' is not auto, true or false");
        };
    }

    /** Checks the setting's value alone (at the start, before the broker is known). */
    public static void check(Settings settings) {
        of(settings, true);
    }

    /** {@code properties} with {@link #SEND_PERSISTENT_PROPERTY} set as this says, for Camel's placeholders. */
    public Properties addTo(Properties properties) {
        properties.setProperty(SEND_PERSISTENT_PROPERTY, Boolean.toString(persistent));
        return properties;
    }

    /** The coordinator's start line: "chunks and results persistent (...)" or "... in memory (...)". */
    public String describe() {
        return "chunks and results " + (persistent ? "persistent" : "in memory, not in the broker's store") + " ("
                + SETTING + "=" + setting + ": " + reason + ")";
    }
}
