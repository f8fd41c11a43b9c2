package procpool.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

class ConfigOptionTest {

    @Test
    void aConfigFileNamedWithConfigThatDoesNotExistFailsTheStartNamingIt(@TempDir Path dir) {
        Path missing = dir.resolve("procpool.properties");
        ProcpoolCommand procpool = new ProcpoolCommand();
        new CommandLine(procpool).parseArgs("--config", missing.toString());

        assertThatThrownBy(() -> procpool.settings(Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("config file " + missing + " does not exist");
    }

    @Test
    void aConfigFileNamedWithConfigIsRead(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("procpool.properties"), "procpool.broker.port = 7777\n");
        ProcpoolCommand procpool = new ProcpoolCommand();
        new CommandLine(procpool).parseArgs("--config", config.toString());

        assertThat(procpool.settings(Map.of()).getInt("procpool.broker.port")).isEqualTo(7777);
    }

    @Test
    void anUnknownKeyGivenWithSetFailsTheStart() {
        ProcpoolCommand procpool = new ProcpoolCommand();
        new CommandLine(procpool).parseArgs("--set", "procpool.workerz=3");

        assertThatThrownBy(() -> procpool.settings(Map.of()))
                .hasMessageContaining("unknown setting procpool.workerz; did you mean procpool.workers?");
    }

    @Test
    void aSubcommandFlagLeftUnsetDoesNotWipeASetOfTheSameKey() {
        ProcpoolCommand procpool = new ProcpoolCommand();
        new CommandLine(procpool).parseArgs("--set", "procpool.chunk.size=1000");
        Map<String, String> unsetFlags = new java.util.HashMap<>();
        unsetFlags.put("procpool.chunk.size", null);

        assertThat(procpool.settings(unsetFlags).get("procpool.chunk.size")).isEqualTo("1000");
    }
}
