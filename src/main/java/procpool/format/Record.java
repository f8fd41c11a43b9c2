package procpool.format;

/**
 * One record of a batch input: what the task gets, and where it is in the file.
 *
 * @param index  position among the batch's records, from 0 (the item index chunks and results carry)
 * @param number the record's number as people count it, from 1 (in a CSV file the header is not counted)
 * @param line   the file line the record starts on, from 1
 * @param item   what the task is handed: a JSON Lines line, a CSV record as a JSON object or one of its columns
 * @param raw    the record's text as it is in the file, without the line break that ends it (null when it could not
 *               be told, as for a record followed by a malformed one)
 */
public record Record(long index, long number, long line, String item, String raw) {
}
