package procpool.batch;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import procpool.format.RecordSettings;

/**
 * A batch's checkpoint: what a restarted coordinator needs to continue it rather than start over. The output's
 * first {@code writtenChunks} chunks ({@code writtenBytes} bytes, {@code writtenItems} items) are on disk; the rest is
 * sent again. Under the skip policy its errors file too: {@code errorsBytes} bytes listing {@code failedItems} items
 * of those chunks.
 *
 * @param relative  the input below the inbox, e.g. {@code square/nums.txt}
 * @param chunkSize its fixed chunk size, or the size an adaptive batch started from
 * @param records   how the input is read and the output written, as when the batch began
 * @param policy    the batch's error policy (a job's own survives a restart)
 * @param adaptive  whether its chunk sizes adapt (then chunks after the written ones are cut anew)
 */
record BatchCheckpoint(String relative, int chunkSize, long items, int writtenChunks, long writtenBytes,
                       RecordSettings records, ErrorPolicy policy, long errorsBytes, long failedItems,
                       long writtenItems, boolean adaptive) {

    /** A checkpoint of a batch of fixed-size chunks. */
    BatchCheckpoint(String relative, int chunkSize, long items, int writtenChunks, long writtenBytes,
                    RecordSettings records, ErrorPolicy policy, long errorsBytes, long failedItems) {
        this(relative, chunkSize, items, writtenChunks, writtenBytes, records, policy, errorsBytes, failedItems,
                Math.min(items, (long) writtenChunks * chunkSize), false);
    }

    BatchCheckpoint(String relative, int chunkSize, long items, int writtenChunks, long writtenBytes) {
        this(relative, chunkSize, items, writtenChunks, writtenBytes, RecordSettings.lines(), ErrorPolicy.FAIL, 0, 0);
    }

    /** A checkpoint of a batch of lines under the fail policy. */
    BatchCheckpoint(String relative, int chunkSize, long items, int writtenChunks, long writtenBytes,
                    long writtenItems, boolean adaptive) {
        this(relative, chunkSize, items, writtenChunks, writtenBytes, RecordSettings.lines(), ErrorPolicy.FAIL, 0, 0,
                writtenItems, adaptive);
    }

    Properties toProperties() {
        Properties properties = new Properties();
        properties.setProperty("relative", relative);
        properties.setProperty("chunkSize", Integer.toString(chunkSize));
        properties.setProperty("items", Long.toString(items));
        properties.setProperty("writtenChunks", Integer.toString(writtenChunks));
        properties.setProperty("writtenBytes", Long.toString(writtenBytes));
        records.addTo(properties);
        policy.store(properties);
        if (policy.skip()) {
            properties.setProperty("errorsBytes", Long.toString(errorsBytes));
            properties.setProperty("failedItems", Long.toString(failedItems));
        }
        properties.setProperty("writtenItems", Long.toString(writtenItems));
        properties.setProperty("adaptive", Boolean.toString(adaptive));
        return properties;
    }

    /** The checkpoint in {@code file}, or null if there is none or it is unreadable. */
    static BatchCheckpoint read(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Properties properties = new Properties();
            properties.load(reader);
            int chunkSize = Integer.parseInt(properties.getProperty("chunkSize"));
            long items = Long.parseLong(properties.getProperty("items"));
            int writtenChunks = Integer.parseInt(properties.getProperty("writtenChunks"));
            // checkpoints written before sizes could adapt have fixed sizes only
            String writtenItems = properties.getProperty("writtenItems");
            return new BatchCheckpoint(properties.getProperty("relative"), chunkSize, items, writtenChunks,
                    Long.parseLong(properties.getProperty("writtenBytes")), RecordSettings.from(properties),
                    ErrorPolicy.load(properties), Long.parseLong(properties.getProperty("errorsBytes", "0")),
                    Long.parseLong(properties.getProperty("failedItems", "0")),
                    writtenItems != null ? Long.parseLong(writtenItems)
                            : Math.min(items, (long) writtenChunks * chunkSize),
                    Boolean.parseBoolean(properties.getProperty("adaptive", "false")));
        } catch (IOException | RuntimeException unreadable) {
            return null;
        }
    }

    /** Chunks in the whole batch of fixed-size chunks. */
    int totalChunks() {
        return items == 0 ? 1 : (int) ((items + chunkSize - 1) / chunkSize);
    }
}
