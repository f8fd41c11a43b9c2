package procpool.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Names of outputs, error reports and moved inputs always fit in a file name (255 bytes). */
class BatchFoldersTest {

    private static int bytes(String name) {
        return name.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void aNameThatFitsIsKeptOrNumbered() {
        assertThat(OutputNames.fitted("nums.txt", 0, 243)).isEqualTo("nums.txt");
        assertThat(OutputNames.fitted("nums.txt", 2, 243)).isEqualTo("nums-2.txt");
    }

    @Test
    void aNameTooLongIsShortenedKeepingItsStartAndExtensionWithAHashOfTheWholeName() {
        String name = "n".repeat(247) + ".txt";

        String fitted = OutputNames.fitted(name, 0, 243);

        assertThat(bytes(fitted)).isLessThanOrEqualTo(243);
        assertThat(fitted).startsWith("nnnnnnnn").matches("n+~[0-9a-f]{8}\\.txt");
        assertThat(OutputNames.fitted(name, 3, 243)).matches("n+~[0-9a-f]{8}-3\\.txt").hasSize(243);
    }

    @Test
    void twoLongNamesThatStartAlikeGetDifferentShortNames() {
        String a = "n".repeat(250) + "a.txt";
        String b = "n".repeat(250) + "b.txt";

        assertThat(OutputNames.fitted(a, 0, 243)).isNotEqualTo(OutputNames.fitted(b, 0, 243));
    }

    @Test
    void aLongNameIsNeverCutInsideACharacter() {
        String name = "é".repeat(127) + ".txt"; // 254 + 4 bytes

        String fitted = OutputNames.fitted(name, 0, 243);

        assertThat(bytes(fitted)).isLessThanOrEqualTo(243);
        assertThat(fitted).matches("é+~[0-9a-f]{8}\\.txt");
    }
}
