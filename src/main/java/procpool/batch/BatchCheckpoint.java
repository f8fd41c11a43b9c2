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
 * first {@code writtenChunks} chunks ({@code writtenBytes} bytes) are on disk; the rest is sent again.
 *
 * @param relative the input below the inbox, e.g. {@code square/nums.txt}
 * @param records  how the input is read and the output written, as when the batch began
 */
record BatchCheckpoint(String relative, int chunkSize, long items, int writtenChunks, long writtenBytes,
                       RecordSettings records) {

    BatchCheckpoint(String relative, int chunkSize, long items, int writtenChunks, long writtenBytes) {
        this(relative, chunkSize, items, writtenChunks, writtenBytes, RecordSettings.lines());
    }

    Properties toProperties() {
        Properties properties = new Properties();
        properties.setProperty("relative", relative);
        properties.setProperty("chunkSize", Integer.toString(chunkSize));
        properties.setProperty("items", Long.toString(items));
        properties.setProperty("writtenChunks", Integer.toString(writtenChunks));
        properties.setProperty("writtenBytes", Long.toString(writtenBytes));
        records.addTo(properties);
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
            return new BatchCheckpoint(properties.getProperty("relative"),
                    Integer.parseInt(properties.getProperty("chunkSize")),
                    Long.parseLong(properties.getProperty("items")),
                    Integer.parseInt(properties.getProperty("writtenChunks")),
                    Long.parseLong(properties.getProperty("writtenBytes")), RecordSettings.from(properties));
        } catch (IOException | RuntimeException unreadable) {
            return null;
        }
    }

    /** Chunks in the whole batch. */
    int totalChunks() {
        return items == 0 ? 1 : (int) ((items + chunkSize - 1) / chunkSize);
    }
}
