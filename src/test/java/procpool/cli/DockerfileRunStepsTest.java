package procpool.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * There is no Docker engine here, and Debian packages no Dockerfile linter (no hadolint), so this runs the run
 * stage's {@code RUN} step of the Dockerfile, verbatim, as root, chrooted into a scratch root whose account files
 * are those of the base image {@code eclipse-temurin:17-jre} (Ubuntu 24.04: a user and group {@code ubuntu} with
 * uid/gid 1000). The programs are this machine's (Debian's shadow tools, bind-mounted read-only from /usr); the
 * mounts live in a private mount namespace ({@code unshare --mount}) and end with it. It proves the user, folder and
 * permission steps succeed and give what the compose file and DeploymentFilesTest assume; it does not prove the
 * image builds (the Maven stage, COPY, the base image itself).
 */
class DockerfileRunStepsTest {

    @TempDir
    Path root;

    @BeforeEach
    void needsRootAndUnshare() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root (chroot, mount)");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/unshare")) && Files.isExecutable(Path.of("/usr/sbin/chroot"))
                && Files.isExecutable(Path.of("/usr/sbin/useradd")), "needs unshare, chroot and useradd");
    }

    /** The {@code RUN} instruction of the last stage, its continuation lines joined. */
    static String runStepOfTheRunStage() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("Dockerfile"));
        int lastFrom = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("FROM ")) {
                lastFrom = i;
            }
        }
        StringBuilder step = new StringBuilder();
        for (int i = lastFrom; i < lines.size(); i++) {
            String line = lines.get(i);
            if (step.length() == 0 && !line.startsWith("RUN ")) {
                continue;
            }
            String text = step.length() == 0 ? line.substring("RUN ".length()) : line;
            if (text.endsWith("\\")) {
                // as Docker reads it: a backslash at the end of a line joins it to the next one
                step.append(text, 0, text.length() - 1);
            } else {
                return step.append(text).toString();
            }
        }
        throw new AssertionError("no RUN step in the run stage of the Dockerfile");
    }

    /** A root with the account files of an image, {@code /usr} and {@code /dev/null} to be mounted in it. */
    private void scratchRoot(boolean withUbuntuUser) throws IOException {
        for (String dir : List.of("etc/default", "usr", "dev", "proc", "tmp", "home", "root", "var/mail")) {
            Files.createDirectories(root.resolve(dir));
        }
        for (String link : List.of("bin", "sbin", "lib", "lib64")) {
            Files.createSymbolicLink(root.resolve(link), Path.of("usr", link));
        }
        Files.createFile(root.resolve("dev/null"));
        String passwd = "root:x:0:0:root:/root:/bin/bash\n";
        String group = "root:x:0:\n";
        String shadow = "root:*:19000:0:99999:7:::\n";
        String gshadow = "root:*::\n";
        if (withUbuntuUser) {
            passwd += "ubuntu:x:1000:1000:Ubuntu:/home/ubuntu:/bin/bash\n";
            group += "ubuntu:x:1000:\n";
            shadow += "ubuntu:!:19000:0:99999:7:::\n";
            gshadow += "ubuntu:!::\n";
            Path home = Files.createDirectories(root.resolve("home/ubuntu"));
            Files.writeString(home.resolve(".bashrc"), "# the base image's\n");
            chown(home, 1000);
        }
        Files.writeString(root.resolve("etc/passwd"), passwd);
        Files.writeString(root.resolve("etc/group"), group);
        Files.writeString(root.resolve("etc/shadow"), shadow);
        Files.writeString(root.resolve("etc/gshadow"), gshadow);
        for (String file : List.of("login.defs", "nsswitch.conf", "default/useradd")) {
            if (Files.exists(Path.of("/etc", file))) {
                Files.copy(Path.of("/etc", file), root.resolve("etc").resolve(file));
            }
        }
    }

    private static void chown(Path path, int id) throws IOException {
        Files.setAttribute(path, "unix:uid", id);
        Files.setAttribute(path, "unix:gid", id);
        try (var children = Files.list(path)) {
            for (Path child : children.toList()) {
                Files.setAttribute(child, "unix:uid", id);
                Files.setAttribute(child, "unix:gid", id);
            }
        }
    }

    private record Run(int exitCode, String output) {
    }

    /** Runs {@code step} with /bin/sh in the scratch root, as a Dockerfile RUN does. */
    private Run runInScratchRoot(String step) throws Exception {
        List<String> command = new ArrayList<>(List.of("/usr/bin/unshare", "--mount", "--propagation", "private",
                "/bin/sh", "-c", "mount --bind -o ro /usr \"$ROOT/usr\" && mount --bind /dev/null \"$ROOT/dev/null\" "
                        + "&& mount --bind /proc \"$ROOT/proc\" && exec /usr/sbin/chroot \"$ROOT\" /bin/sh -c \"$STEP\""));
        // output to a file, not a pipe read to its end: a hung step then fails the wait instead of hanging the test
        Path log = Files.createTempFile("run-step", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("ROOT", root.toString());
        builder.environment().put("STEP", step);
        Process process = builder.start();
        try {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(log);
        }
    }

    private int uid(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:uid");
    }

    private int gid(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:gid");
    }

    private String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    @Test
    void theBaseImagesUid1000UserMakesAPlainUseraddFail() throws Exception {
        scratchRoot(true);

        Run run = runInScratchRoot("useradd --uid 1000 --user-group --home-dir /app --no-create-home procpool");

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.output()).contains("UID 1000 is not unique");
    }

    @Test
    void theRunStepCreatesProcpoolAsUid1000OnTheUbuntuBase() throws Exception {
        scratchRoot(true);

        Run run = runInScratchRoot(runStepOfTheRunStage());

        assertThat(run.exitCode()).as(run.output()).isZero();
        List<String> passwd = Files.readAllLines(root.resolve("etc/passwd"));
        assertThat(passwd).contains("procpool:x:1000:1000::/app:/bin/sh").noneMatch(line -> line.startsWith("ubuntu:"));
        assertThat(Files.readAllLines(root.resolve("etc/group"))).contains("procpool:x:1000:")
                .noneMatch(line -> line.startsWith("ubuntu:"));
    }

    @Test
    void theRunStepAlsoWorksOnABaseWithoutTheUbuntuUser() throws Exception {
        scratchRoot(false);

        Run run = runInScratchRoot(runStepOfTheRunStage());

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(Files.readAllLines(root.resolve("etc/passwd"))).contains("procpool:x:1000:1000::/app:/bin/sh");
    }

    @Test
    void theFoldersBelongToProcpoolAndTheBrokerStoreIsPrivate() throws Exception {
        scratchRoot(true);

        assertThat(runInScratchRoot(runStepOfTheRunStage()).exitCode()).isZero();

        for (String folder : List.of("app", "app/inbox", "app/outbox", "app/plugins", "app/data")) {
            assertThat(uid(root.resolve(folder))).as(folder).isEqualTo(1000);
            assertThat(gid(root.resolve(folder))).as(folder).isEqualTo(1000);
        }
        assertThat(mode(root.resolve("app/data"))).isEqualTo("rwx------");
        assertThat(mode(root.resolve("app/inbox"))).isEqualTo("rwxrwxr-x");
        assertThat(mode(root.resolve("app/outbox"))).isEqualTo("rwxrwxr-x");
    }
}
