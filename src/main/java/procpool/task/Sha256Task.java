package procpool.task;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Lower-case hex SHA-256 of the item's UTF-8 bytes. */
public final class Sha256Task implements Task {

    @Override
    public String name() {
        return "sha256";
    }

    @Override
    public String apply(String item) throws NoSuchAlgorithmException {
        // MessageDigest is not thread-safe, and getInstance is cheap next to the JMS round trip
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        return HexFormat.of().formatHex(digest.digest(item.getBytes(StandardCharsets.UTF_8)));
    }
}
