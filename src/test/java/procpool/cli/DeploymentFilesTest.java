package procpool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

import procpool.config.Settings;

/**
 * docker-compose.yml and the Dockerfile cannot run here (no Docker engine), so this keeps them consistent with
 * what can: the CLI that parses their commands, the settings their environment names, the folders they mount.
 * ScaleOutIT runs the same topology as plain processes.
 */
class DeploymentFilesTest {

    static JsonNode services;
    static List<String> dockerfile;

    @BeforeAll
    static void readFiles() throws Exception {
        services = new ObjectMapper(new YAMLFactory()).readTree(Path.of("docker-compose.yml").toFile()).get("services");
        dockerfile = Files.readAllLines(Path.of("Dockerfile"));
    }

    private static List<String> command(String service) {
        List<String> command = new ArrayList<>();
        services.get(service).get("command").forEach(part -> command.add(part.asText()));
        return command;
    }

    private static ParseResult parse(List<String> command) {
        return new CommandLine(new ProcpoolCommand()).parseArgs(command.toArray(String[]::new));
    }

    private static Set<String> mountTargets(String service) {
        Set<String> targets = new TreeSet<>();
        services.get(service).get("volumes").forEach(volume -> targets.add(volume.asText().split(":")[1]));
        return targets;
    }

    @Test
    void composeHasACoordinatorAndAScalableWorker() {
        assertThat(services.has("coordinator")).isTrue();
        assertThat(services.has("worker")).isTrue();
        // --scale worker=N needs no fixed name and no host port on the worker
        assertThat(services.get("worker").has("container_name")).isFalse();
        assertThat(services.get("worker").has("ports")).isFalse();
        assertThat(services.get("coordinator").has("healthcheck")).isTrue();
        assertThat(services.get("worker").has("healthcheck")).isTrue();
    }

    @Test
    void theServiceCommandsAreValidProcpoolCommands() {
        ParseResult coordinator = parse(command("coordinator"));
        ParseResult worker = parse(command("worker"));

        assertThat(coordinator.subcommand().commandSpec().name()).isEqualTo("coordinator");
        assertThat(coordinator.subcommand().matchedOptionValue("--workers", "")).isEqualTo("0");
        assertThat(worker.subcommand().commandSpec().name()).isEqualTo("worker");
        assertThat(worker.subcommand().matchedOptionValue("--broker", ""))
                .isEqualTo("tcp://coordinator:" + Settings.load(null, Map.of(), Map.of()).get("procpool.broker.port"));
    }

    @Test
    void everyEnvironmentVariableIsASetting() {
        Set<String> settingNames = new TreeSet<>();
        Settings.load(null, Map.of(), Map.of()).toProperties().stringPropertyNames()
                .forEach(key -> settingNames.add(Settings.environmentName(key)));
        for (String service : List.of("coordinator", "worker")) {
            services.get(service).get("environment").fieldNames()
                    .forEachRemaining(name -> assertThat(settingNames).as(service + " " + name).contains(name));
        }
    }

    @Test
    void aBrokerOpenToTheComposeNetworkRequiresCredentials() {
        assertThat(command("coordinator")).containsSequence("--broker-host", "0.0.0.0");
        for (String service : List.of("coordinator", "worker")) {
            JsonNode environment = services.get(service).get("environment");
            assertThat(environment.get("PROCPOOL_BROKER_USERNAME").asText()).startsWith("${PROCPOOL_BROKER_USERNAME:?");
            assertThat(environment.get("PROCPOOL_BROKER_PASSWORD").asText()).startsWith("${PROCPOOL_BROKER_PASSWORD:?");
        }
    }

    @Test
    void theMountsAreTheFoldersTheSettingsNameInTheImage() {
        Settings defaults = Settings.load(null, Map.of(), Map.of());
        String home = dockerfile.stream().filter(line -> line.startsWith("WORKDIR /app")).findFirst().orElseThrow()
                .substring("WORKDIR ".length());
        assertThat(mountTargets("coordinator")).contains(
                home + "/" + defaults.get("procpool.inbox"), home + "/" + defaults.get("procpool.outbox"),
                home + "/" + defaults.get("procpool.plugins"), home + "/" + defaults.get("procpool.broker.data-dir"),
                home + "/" + Path.of(ProcpoolCommand.DEFAULT_CONFIG).getParent());
        assertThat(mountTargets("worker")).contains(home + "/" + defaults.get("procpool.plugins"));
    }

    @Test
    void theRouteTasksFolderIsMountedWhereverRouteTasksAreLoaded() {
        Settings defaults = Settings.load(null, Map.of(), Map.of());
        String tasks = "/app/" + defaults.get("procpool.task.routes-dir");
        assertThat(mountTargets("coordinator")).contains(tasks);
        assertThat(mountTargets("worker")).contains(tasks);
    }

    @Test
    void theDockerfileBuildsWithMavenAndRunsTheJarOnAJre() {
        assertThat(dockerfile.stream().filter(line -> line.startsWith("FROM ")))
                .hasSize(2)
                .anyMatch(line -> line.contains("maven:") && line.endsWith("AS build"))
                .anyMatch(line -> line.contains("-jre"));
        assertThat(dockerfile).contains("ENTRYPOINT [\"java\", \"-jar\", \"/app/procpool.jar\"]", "USER procpool");
    }

    @Test
    void everyCommandHasCompleteHelp() {
        CommandLine cli = new CommandLine(new ProcpoolCommand());
        String usage = cli.getUsageMessage();
        for (String name : List.of("coordinator", "worker", "submit", "status", "broker")) {
            assertThat(usage).contains(name);
            CommandLine sub = cli.getSubcommands().get(name);
            String help = sub.getUsageMessage();
            sub.getCommandSpec().options().forEach(option ->
                    assertThat(option.hidden() || !option.description()[0].isBlank()).as(name + " " + option.longestName())
                            .isTrue());
            assertThat(help).as(name).contains("Usage: procpool " + name, "--help");
        }
    }
}
