package procpool.format;

import java.io.IOException;

/**
 * A result that cannot be written in the batch's output format (a merge result that is not a JSON object, or with a
 * field the header lacks): the batch fails naming the record, not as a failed disk write.
 */
public final class ResultNotWritableException extends IOException {

    public ResultNotWritableException(String message) {
        super(message);
    }
}
