package procpool.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service password file a broker generates when no credentials are configured. */
class LocalCredentialsTest {

    @TempDir
    Path root;

    @Test
    void twoStartsAtOnceAgreeOnOnePassword() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 25; round++) {
                Path data = root.resolve("race-" + round);
                Callable<String> start = () -> LocalCredentials.loadOrCreate(data).password();
                Set<String> passwords = new HashSet<>();
                for (Future<String> password : threads.invokeAll(List.of(start, start, start, start))) {
                    passwords.add(password.get());
                }
                assertThat(passwords).hasSize(1).containsExactly(LocalCredentials.find(data).orElseThrow().password());
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aFolderTheUserMadeKeepsItsPermissions() throws Exception {
        Path data = Files.createDirectory(root.resolve("shared"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---")));
        LocalCredentials.loadOrCreate(data);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwxr-x---");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(LocalCredentials.file(data))))
                .isEqualTo("rw-------");
    }

    @Test
    void everyGeneratedPasswordIsNew() {
        assertThat(LocalCredentials.loadOrCreate(root.resolve("a")).password())
                .isNotEqualTo(LocalCredentials.loadOrCreate(root.resolve("b")).password());
    }

    @Test
    void noFileMeansNoLocalPassword() {
        assertThat(LocalCredentials.find(root.resolve("none"))).isEmpty();
    }

    @Test
    void aPasswordFilePlantedByAnotherUserIsRefused() throws Exception {
        Path data = Files.createDirectory(root.resolve("planted"));
        Path file = Files.writeString(LocalCredentials.file(data), "procpool.broker.password=known-to-them\n");
        UserPrincipal nobody;
        try {
            nobody = data.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
            Files.setOwner(file, nobody);
        } catch (IOException e) {
            Assumptions.abort("cannot give a file to the user nobody here (not root?): " + e);
            return;
        }
        assertThatThrownBy(() -> LocalCredentials.loadOrCreate(data))
                .hasMessageContaining("belongs to nobody").hasMessageContaining("delete it");
    }

    @Test
    void aSymbolicLinkInPlaceOfThePasswordFileIsRefused() throws Exception {
        Path data = Files.createDirectory(root.resolve("linked"));
        Path elsewhere = Files.writeString(root.resolve("theirs.properties"), "procpool.broker.password=known\n");
        Files.createSymbolicLink(LocalCredentials.file(data), elsewhere);
        assertThatThrownBy(() -> LocalCredentials.loadOrCreate(data)).hasMessageContaining("not a plain file");
    }
}
