package procpool.worker;

/** A chunk's body cut into its items, one per line. */
final class ChunkLines {

    private ChunkLines() {
    }

    /**
     * The lines of {@code body} ({@code '\n'} between items), in an array sized by the item count the chunk's header
     * gives, so no list grows as {@code String.split} grows one; a body of a different count still gives all its lines
     * (the caller reports the mismatch). A chunk of no items has no lines.
     */
    static String[] of(String body, int itemCount) {
        if (itemCount == 0) {
            return new String[0];
        }
        if (itemCount < 0) {
            return body.split("\n", -1);
        }
        String[] lines = new String[itemCount];
        int start = 0;
        for (int i = 0; i < itemCount; i++) {
            int end = body.indexOf('\n', start);
            if (end < 0) {
                if (i < itemCount - 1) {
                    return body.split("\n", -1); // fewer lines than items
                }
                lines[i] = body.substring(start);
                return lines;
            }
            lines[i] = body.substring(start, end);
            start = end + 1;
        }
        return body.split("\n", -1); // more lines than items
    }
}
