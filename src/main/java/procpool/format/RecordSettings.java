package procpool.format;

import java.io.IOException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

import procpool.config.TaskSettings;

/**
 * How one batch's input is read and its output written: the format ({@code lines}, {@code csv}, {@code jsonl}) and,
 * for CSV, which column is the item and where the result goes. Chosen once when the batch begins and kept in its
 * checkpoint, so a resumed batch reads its input as it began to.
 *
 * @param format       {@code lines}, {@code csv} or {@code jsonl}
 * @param inputColumn  CSV: the column whose value is the item; null: the whole record as a JSON object
 * @param outputColumn CSV: the name of the result column (default: the task's name)
 * @param merge        CSV: a result that is a JSON object gives one column per field
 */
public record RecordSettings(String format, String inputColumn, String outputColumn, boolean merge) {

    public static final String LINES = "lines";
    public static final String CSV = "csv";
    public static final String JSONL = "jsonl";

    public RecordSettings {
        if (!LINES.equals(format) && !CSV.equals(format) && !JSONL.equals(format)) {
            throw new IllegalArgumentException("unknown record format '" + format + "': lines, csv or jsonl");
        }
    }

    /** One item per line, as procpool always read batches. */
    public static RecordSettings lines() {
        return new RecordSettings(LINES, null, null, false);
    }

    /**
     * The settings of a batch of {@code task} read from a file named {@code fileName}: the format {@code requested}
     * (a job's {@code procpoolRecordFormat}) if given, else the task's {@code format} setting, else the file's
     * extension ({@code .csv}; {@code .jsonl}, {@code .ndjson}; anything else is {@code lines}).
     *
     * @param settings the task's {@code procpool.task.<task>.*} settings, or null if it has none
     * @param requested null, or {@code lines}, {@code csv} or {@code jsonl}
     */
    public static RecordSettings choose(String task, String fileName, TaskSettings settings, String requested) {
        String format = requested != null ? requested
                : optional(settings, "format").orElseGet(() -> byExtension(fileName));
        return new RecordSettings(format, optional(settings, "input-column").orElse(null),
                optional(settings, "output-column").orElse(task),
                "merge".equals(optional(settings, "output").orElse("column")));
    }

    /** {@code csv} for {@code .csv}, {@code jsonl} for {@code .jsonl} and {@code .ndjson}, else {@code lines}. */
    public static String byExtension(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) {
            return CSV;
        }
        return name.endsWith(".jsonl") || name.endsWith(".ndjson") ? JSONL : LINES;
    }

    private static Optional<String> optional(TaskSettings settings, String property) {
        return settings == null ? Optional.empty() : settings.get(property).filter(value -> !value.isEmpty());
    }

    public boolean isLines() {
        return LINES.equals(format);
    }

    /** The format that reads and writes these records; null for {@code lines} (the pipeline's own line path). */
    public RecordFormat recordFormat() {
        return switch (format) {
            case CSV -> new CsvFormat(inputColumn, outputColumn, merge);
            case JSONL -> new JsonLinesFormat();
            default -> null;
        };
    }

    /**
     * How the output of a batch with these settings is written, from record {@code firstIndex} on (reading the input
     * again beside the results); null for {@code lines}, whose results are written as they come.
     */
    public BatchOutput output(Path input, long firstIndex, OpenOption... options) throws IOException {
        return isLines() ? null : recordFormat().output(RecordInput.open(input, options), firstIndex);
    }

    /** Adds these settings to a batch's checkpoint. */
    public void addTo(Properties properties) {
        properties.setProperty("format", format);
        if (inputColumn != null) {
            properties.setProperty("inputColumn", inputColumn);
        }
        if (outputColumn != null) {
            properties.setProperty("outputColumn", outputColumn);
        }
        properties.setProperty("output", merge ? "merge" : "column");
    }

    /** The settings in a checkpoint; {@code lines} for one written before formats existed. */
    public static RecordSettings from(Properties properties) {
        return new RecordSettings(properties.getProperty("format", LINES), properties.getProperty("inputColumn"),
                properties.getProperty("outputColumn"), "merge".equals(properties.getProperty("output")));
    }

    /** For the batch's start line: {@code csv (input column n, output column square)}. */
    public String describe() {
        if (!CSV.equals(format)) {
            return format;
        }
        return format + " (item: " + (inputColumn == null ? "the record as a JSON object" : "column " + inputColumn)
                + ", result: " + (merge ? "fields merged as columns" : "column " + outputColumn) + ")";
    }
}
