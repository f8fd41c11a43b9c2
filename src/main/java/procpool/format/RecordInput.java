package procpool.format;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;

import org.apache.commons.io.input.BOMInputStream;

/** Opens a batch input as text: UTF-8, bytes that are not UTF-8 an error (never replaced), a leading BOM dropped. */
public final class RecordInput {

    private RecordInput() {
    }

    /** @param options how to open the file, e.g. {@code NOFOLLOW_LINKS} */
    public static Reader open(Path file, OpenOption... options) throws IOException {
        InputStream in = Files.newInputStream(file, options);
        try {
            return text(BOMInputStream.builder().setInputStream(in).get());
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** {@code in} decoded as strict UTF-8, buffered. */
    public static Reader text(InputStream in) {
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)), 64 * 1024);
    }
}
