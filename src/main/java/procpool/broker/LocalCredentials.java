package procpool.broker;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.LinkOption;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service password a broker generates when no credentials are configured: kept in
 * {@code <procpool.broker.data-dir>/service-credentials.properties}, readable only by the user who runs it, reused at
 * every later start, and read from there by {@code submit}, {@code status}, {@code worker} and
 * {@code ProcessPool.connect} on the same machine. Other users get in only if given the password (or a client
 * account): the file's mode keeps them out, which is the point.
 */
public final class LocalCredentials {

    static final String FILE_NAME = "service-credentials.properties";
    private static final Logger LOG = LoggerFactory.getLogger(LocalCredentials.class);
    /** 256 bits: beyond guessing, also over the network. */
    private static final int PASSWORD_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    private static final Set<PosixFilePermission> OWNER_ONLY_FOLDER = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
    private static final String USERNAME_KEY = "procpool.broker.username";
    private static final String PASSWORD_KEY = "procpool.broker.password";

    private LocalCredentials() {
    }

    public static Path file(Path dataDir) {
        return dataDir.toAbsolutePath().normalize().resolve(FILE_NAME);
    }

    /** A new random password: {@value #PASSWORD_BYTES} bytes from {@link SecureRandom}, URL-safe Base64. */
    static String newPassword() {
        byte[] bytes = new byte[PASSWORD_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * For the broker's owner (coordinator, {@code procpool broker}): the service account in {@code dataDir}, generated
     * at the first start. The folder, if procpool creates it, is {@code 0700}; the file is created {@code 0600}
     * (never readable by others, not even while being written) and appears complete or not at all, so two
     * processes starting at once end up with the same password.
     */
    public static BrokerLogin loadOrCreate(Path dataDir) {
        Path file = file(dataDir);
        try {
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                create(file);
            }
            checkOwnedByThisUser(file);
            warnIfOthersMayRead(file);
            return read(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the generated service password in " + file + ": " + e, e);
        }
    }

    /** For clients on the same machine: the service account in {@code dataDir}, if a broker has generated one. */
    public static Optional<BrokerLogin> find(Path dataDir) {
        Path file = file(dataDir);
        try {
            return Optional.of(read(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (AccessDeniedException e) {
            throw new IllegalStateException("cannot read the service password in " + file + ": it belongs to the user "
                    + "who runs the broker. Ask them for the password (as PROCPOOL_BROKER_PASSWORD) or for a client "
                    + "account (PROCPOOL_BROKER_CLIENT_USERNAME / PROCPOOL_BROKER_CLIENT_PASSWORD)", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the service password in " + file + ": " + e, e);
        }
    }

    private static void create(Path file) throws IOException {
        boolean posix = makeFolder(file.getParent());
        FileAttribute<?>[] ownerOnly = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE)}
                : new FileAttribute<?>[0];
        Path partial = Files.createTempFile(file.getParent(), "." + FILE_NAME, ".partial", ownerOnly);
        try {
            Properties account = new Properties();
            account.setProperty(USERNAME_KEY, BrokerLogin.DEFAULT_SERVICE_USERNAME);
            account.setProperty(PASSWORD_KEY, newPassword());
            try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE)) {
                OutputStream out = Channels.newOutputStream(channel);
                account.store(out, " procpool's service account, generated because none was configured. Keep it "
                        + "private (mode 0600);\n give it to others as PROCPOOL_BROKER_PASSWORD, or configure a client "
                        + "account. Delete this file and restart the broker for a new password.");
                out.flush();
                channel.force(true);
            }
            try {
                // a hard link never replaces: if another process was quicker, its password stays and is used
                Files.createLink(file, partial);
            } catch (UnsupportedOperationException e) {
                Files.move(partial, file);
            }
            LOG.info("generated a service password for the broker in {} (readable only by this user)", file);
        } catch (FileAlreadyExistsException e) {
            // the other start's file is complete: it was linked into place only after its fsync
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /**
     * Creates {@code folder} (and missing parents) readable only by this user, {@code 0700}: the broker's data
     * folder holds the password file and the message store, i.e. every chunk and result. A folder that exists keeps
     * its mode (the user chose it), with a warning if other users may enter it.
     */
    public static void createPrivateFolder(Path folder) {
        try {
            if (!Files.isDirectory(folder) || !Files.getFileStore(folder).supportsFileAttributeView("posix")) {
                makeFolder(folder);
                return;
            }
            Set<PosixFilePermission> others = Files.getPosixFilePermissions(folder);
            others.removeAll(OWNER_ONLY_FOLDER);
            if (!others.isEmpty()) {
                LOG.warn("other users may read the broker's data folder {} ({}): its message store holds jobs, "
                        + "chunks, results and dead letters; chmod 700 it", folder, PosixFilePermissions.toString(
                                Files.getPosixFilePermissions(folder)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the broker's data folder " + folder + ": " + e, e);
        }
    }

    /** @return whether the file system has POSIX permissions */
    private static boolean makeFolder(Path folder) throws IOException {
        boolean posix = Files.getFileStore(existingAncestor(folder)).supportsFileAttributeView("posix");
        Files.createDirectories(folder, posix ? new FileAttribute<?>[] {
                PosixFilePermissions.asFileAttribute(OWNER_ONLY_FOLDER)} : new FileAttribute<?>[0]);
        return posix;
    }

    private static Path existingAncestor(Path folder) {
        Path existing = folder;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return existing == null ? Path.of("").toAbsolutePath() : existing;
    }

    private static BrokerLogin read(Path file) throws IOException {
        Properties account = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            account.load(reader);
        }
        String password = account.getProperty(PASSWORD_KEY, "").strip();
        if (password.isEmpty()) {
            throw new IOException(file + " has no " + PASSWORD_KEY
                    + ": delete it and restart the broker for a new one");
        }
        return new BrokerLogin(account.getProperty(USERNAME_KEY, BrokerLogin.DEFAULT_SERVICE_USERNAME).strip(),
                password, file.toString());
    }

    /**
     * In a folder others may write to, someone else could have put a file (or a link to one) there whose password
     * they know: the broker would then let them in. So the broker uses only a plain file of its own user.
     */
    private static void checkOwnedByThisUser(Path file) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalStateException(file + " is not a plain file (a symbolic link?), so someone else may know "
                    + "its password: delete it and restart");
        }
        Optional<String> me = ProcessHandle.current().info().user();
        String owner = Files.getOwner(file, LinkOption.NOFOLLOW_LINKS).getName();
        if (me.isPresent() && !me.get().equals(owner)) {
            throw new IllegalStateException(file + " belongs to " + owner + ", not to " + me.get() + " who runs the "
                    + "broker, so someone else may know its password: delete it and restart, or use a data folder of "
                    + "your own");
        }
    }

    /** The owner may share the file on purpose (a group), so this warns rather than refuses. */
    private static void warnIfOthersMayRead(Path file) throws IOException {
        if (!Files.getFileStore(file).supportsFileAttributeView("posix")) {
            return;
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        permissions.removeAll(OWNER_ONLY_FILE);
        permissions.remove(PosixFilePermission.OWNER_EXECUTE);
        if (!permissions.isEmpty()) {
            LOG.warn("{} holds the broker's service password and other users may read it ({}): chmod 600 it, or "
                            + "delete it and restart for a new password", file,
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        }
    }
}
