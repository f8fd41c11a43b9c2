package procpool.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The dashboard in headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, driven by Selenium
 * through {@code /usr/bin/chromedriver}: nothing is downloaded), against the packaged jar's coordinator with 2
 * workers on free loopback ports. Skipped, saying why, where the browser is not installed.
 */
class DashboardIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    static Path workDir;
    static CoordinatorProcess coordinator;
    static ChromeDriver browser;
    static int httpPort;

    private static boolean browserInstalled() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    @BeforeAll
    static void startCoordinatorAndBrowser() throws Exception {
        if (!browserInstalled()) {
            return; // each test is skipped, saying why (an assumption here would hide the tests from the report)
        }
        httpPort = CoordinatorProcess.freePort();
        int brokerPort = CoordinatorProcess.freePort();
        coordinator = CoordinatorProcess.start(workDir, List.of("--workers", "2", "--broker-port",
                Integer.toString(brokerPort), "--http-port", Integer.toString(httpPort)), Map.of(), brokerPort)
                .awaitReady(2);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1440,900", "--no-first-run", "--disable-extensions", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (coordinator != null) {
            coordinator.close();
        }
    }

    @BeforeEach
    void openTheDashboard() {
        Assumptions.assumeTrue(browserInstalled(), "skipped: the dashboard's browser tests need Debian's chromium and "
                + "chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER + " missing): apt-get install -y chromium "
                + "chromium-driver (.ci/run does)");
        browser.get("http://127.0.0.1:" + httpPort + "/");
        await().atMost(PATIENCE).until(() -> "live".equals(browser.findElement(By.id("live")).getText()));
    }

    private static String sleeps(int items, int millis) {
        return IntStream.range(0, items).mapToObj(i -> Integer.toString(millis))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    private static By batchRow(String source) {
        return By.xpath("//table[@id='batches']//tr[td[2][text()='" + source + "']]");
    }

    private static By historyRow(String source) {
        return By.xpath("//table[@id='history']//tr[td[3][text()='" + source + "']]");
    }

    /** What the condition reads, or null while the page is between two pictures or lacks the element. */
    private static <T> T read(java.util.function.Supplier<T> reading) {
        try {
            return reading.get();
        } catch (NoSuchElementException | StaleElementReferenceException e) {
            return null;
        }
    }

    private static int percentOf(String source) {
        String value = read(() -> browser.findElement(batchRow(source)).findElement(By.className("progress"))
                .getAttribute("aria-valuenow"));
        return value == null ? -1 : Integer.parseInt(value);
    }

    private static Set<Long> workerPids() {
        Set<Long> pids = read(() -> browser.findElements(By.cssSelector("#workers tr.worker")).stream()
                .map(row -> Long.parseLong(row.getAttribute("data-pid"))).collect(Collectors.toSet()));
        return pids == null ? Set.of() : pids;
    }

    private static void screenshot(String name) throws Exception {
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, Files.createDirectories(Path.of("target")).resolve(name),
                StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void aBatchsProgressBarReachesOneHundredPercentAndTheBatchMovesToHistory() throws Exception {
        coordinator.drop("sleep/progress.txt", sleeps(80, 100));

        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> percentOf("sleep/progress.txt") >= 0);
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> percentOf("sleep/progress.txt") == 100);
        await().atMost(PATIENCE).until(() -> "done".equals(read(() -> browser.findElement(
                historyRow("sleep/progress.txt")).getAttribute("data-outcome"))));
        assertThat(coordinator.awaitOutbox("progress.txt")).exists();
    }

    @Test
    void theDashboardMidBatchIsSavedAsAScreenshot() throws Exception {
        coordinator.drop("sleep/first.txt", sleeps(120, 100));
        coordinator.drop("square/second.txt", IntStream.range(0, 50).mapToObj(Integer::toString)
                .collect(Collectors.joining("\n")) + "\nnot a number\n");
        coordinator.drop("sleep/third.txt", sleeps(60, 150));

        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> percentOf("sleep/first.txt") >= 20 && percentOf("sleep/first.txt") < 100);
        screenshot("dashboard.png");
        assertThat(Path.of("target", "dashboard.png")).isNotEmptyFile();
        await().atMost(PATIENCE).until(() -> read(() -> browser.findElement(historyRow("sleep/third.txt"))) != null);
    }

    @Test
    void aKilledWorkerDisappearsAndItsReplacementAppears() {
        await().atMost(PATIENCE).until(() -> workerPids().size() == 2);
        Set<Long> before = new HashSet<>(workerPids());
        long victim = before.iterator().next();

        ProcessHandle.of(victim).ifPresent(ProcessHandle::destroyForcibly);

        await().atMost(PATIENCE).until(() -> !workerPids().contains(victim));
        await().atMost(PATIENCE).until(() -> workerPids().size() == 2);
        Set<Long> after = workerPids();
        assertThat(after).doesNotContain(victim).containsAnyElementsOf(before).hasSize(2);
    }

    @Test
    void aWorkerStartedByHandAppearsWithItsStateAndLeavesWhenItStops() throws Exception {
        Path log = workDir.resolve("hand-started-worker.log");
        Process worker = JarProcess.spawn(workDir, Map.of(), log, "worker", "--broker",
                "tcp://127.0.0.1:" + coordinator.brokerPort);
        try {
            await().atMost(PATIENCE).until(() -> workerPids().contains(worker.pid()));
            WebElement row = browser.findElement(By.cssSelector("#workers tr.worker[data-pid='" + worker.pid() + "']"));
            List<WebElement> cells = row.findElements(By.tagName("td"));
            assertThat(cells.get(1).getText()).isNotBlank();
            assertThat(cells.get(5).getText()).matches("\\d+ MiB / [\\d.]+ (MiB|GiB)");
            assertThat(cells.get(6).getText()).endsWith("ago");
            assertThat(workerPids()).hasSize(3);

            worker.destroyForcibly().waitFor();

            await().atMost(PATIENCE).until(() -> !workerPids().contains(worker.pid()));
            assertThat(workerPids()).hasSize(2);
        } finally {
            worker.destroyForcibly();
        }
    }

    @Test
    void eachWorkerShowsItsHeapHeartbeatAndChunksRun() throws Exception {
        coordinator.drop("sleep/counted.txt", sleeps(40, 20));
        await().atMost(PATIENCE).until(() -> read(() -> browser.findElement(historyRow("sleep/counted.txt"))) != null);

        await().atMost(PATIENCE).untilAsserted(() -> {
            List<WebElement> rows = browser.findElements(By.cssSelector("#workers tr.worker"));
            assertThat(rows).hasSize(2);
            long chunksRun = 0;
            for (WebElement row : rows) {
                List<WebElement> cells = row.findElements(By.tagName("td"));
                assertThat(cells.get(1).getText()).isNotBlank();
                assertThat(cells.get(5).getText()).matches("\\d+ MiB / [\\d.]+ (MiB|GiB)");
                assertThat(cells.get(6).getText()).endsWith("ago");
                chunksRun += Long.parseLong(cells.get(4).getText().replace(",", ""));
            }
            assertThat(chunksRun).isPositive();
        });
    }

    @Test
    void aPoisonBatchShowsItsErrorReport() throws Exception {
        coordinator.drop("square/poison.txt", "1\n2\nabc\n4\n");

        await().atMost(PATIENCE).until(() -> "failed".equals(read(() -> browser.findElement(
                historyRow("square/poison.txt")).getAttribute("data-outcome"))));
        browser.findElement(historyRow("square/poison.txt")).click();

        await().atMost(PATIENCE).until(() -> {
            String report = read(() -> browser.findElement(By.cssSelector("#history pre.error-report")).getText());
            return report != null && report.contains("line 3") && report.contains("abc");
        });
    }

    @Test
    void aRejectedJobShowsNoReplayButtonAndIsDiscardedWithItsButton() throws Exception {
        Path items = Files.writeString(workDir.resolve("rejected.txt"), "1\n2\n3\n");
        JarProcess.Result submitted = JarProcess.run(workDir, Map.of(), null, "submit", "--task", "nosuchtask",
                items.toString(), "--broker", "tcp://127.0.0.1:" + coordinator.brokerPort);
        assertThat(submitted.exitCode()).as(submitted.stderr()).isEqualTo(1);
        By rejected = deadLetterRow("unknown task 'nosuchtask'");
        await().atMost(PATIENCE).until(() -> read(() -> browser.findElement(rejected)) != null);

        // its copy lacks the job's properties: a replay would only be rejected again, so none is offered
        assertThat(browser.findElement(rejected).findElement(By.className("replay")).isDisplayed()).isFalse();
        browser.findElement(rejected).findElement(By.className("discard")).click();
        browser.switchTo().alert().accept();

        await().atMost(PATIENCE).until(() -> browser.findElements(rejected).isEmpty()
                && "0".equals(browser.findElement(By.id("tile-dead")).getText()));
    }

    @Test
    void aDeadChunkItsBatchWaitsForIsShownAndItsReplayButtonCompletesTheBatch() throws Exception {
        int port = CoordinatorProcess.freePort();
        int brokerPort = CoordinatorProcess.freePort();
        Path folder = Files.createDirectories(workDir.resolve("dead-chunk"));
        procpool.testtasks.PluginJars.write(folder.resolve("plugins/crash.jar"),
                procpool.testtasks.CrashUntilTask.class);
        try (CoordinatorProcess own = CoordinatorProcess.start(folder, List.of("--workers", "1", "--broker-port",
                Integer.toString(brokerPort), "--http-port", Integer.toString(port), "--chunk-size", "1"),
                Map.of("PROCPOOL_BATCH_DEAD_CHUNK_WAIT_MS", "300000", "PROCPOOL_WORKER_MAX_ATTEMPTS", "2",
                        "PROCPOOL_WORKER_RESTART_DELAY_MS", "200"), brokerPort).awaitReady(1)) {
            browser.get("http://127.0.0.1:" + port + "/");
            await().atMost(PATIENCE).until(() -> "live".equals(browser.findElement(By.id("live")).getText()));
            Path marker = folder.resolve("fixed");
            own.drop("crashuntil/held.txt", "a\nmarker:" + marker + "\nc\n");
            By note = By.xpath("//table[@id='batches']//tr[td[2][text()='crashuntil/held.txt']]"
                    + "//div[contains(@class, 'held-note')]");
            await().atMost(PATIENCE).until(() -> {
                String text = read(() -> browser.findElement(note).getText());
                return text != null && text.startsWith("waiting: chunk 1 (line 2) dead: 2 attempts; ");
            });
            By dead = deadLetterRow("the broker gave up after 2 deliveries");
            await().atMost(PATIENCE).until(() -> read(() -> browser.findElement(dead)) != null);
            WebElement replay = browser.findElement(dead).findElement(By.className("replay"));
            assertThat(replay.isDisplayed()).isTrue();
            screenshot("dashboard-dead-chunk.png");

            Files.writeString(marker, "");
            replay.click();

            await().atMost(PATIENCE).until(() -> {
                String row = read(() -> browser.findElement(historyRow("crashuntil/held.txt")).getText());
                return row != null && row.contains("done");
            });
            assertThat(Files.readAllLines(own.awaitOutbox("held.txt"))).containsExactly("a", "marker:" + marker, "c");
            await().atMost(PATIENCE).until(() -> browser.findElements(dead).isEmpty());
        }
    }

    private static By deadLetterRow(String cause) {
        return By.xpath("//table[@id='dead']//tr[td[7][contains(text(), \"" + cause + "\")]]");
    }

    @Test
    void withAnAccountThePageAndItsEventsNeedTheLogin() throws Exception {
        int port = CoordinatorProcess.freePort();
        int brokerPort = CoordinatorProcess.freePort();
        Path folder = Files.createDirectories(workDir.resolve("with-account"));
        try (CoordinatorProcess guarded = CoordinatorProcess.start(folder, List.of("--workers", "0", "--broker-port",
                Integer.toString(brokerPort), "--http-port", Integer.toString(port)),
                Map.of("PROCPOOL_HTTP_PASSWORD", "dash-s3cret"), brokerPort)) {
            guarded.awaitOutput(java.util.regex.Pattern.compile("dashboard on http://127.0.0.1:" + port + "/"), 1,
                    PATIENCE);
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String login = "Basic " + Base64.getEncoder().encodeToString(
                    "procpool:dash-s3cret".getBytes(StandardCharsets.UTF_8));

            for (String path : List.of("/", "/dashboard.js", "/dashboard.css", "/api/events", "/api/history/x/error")) {
                HttpResponse<Void> refused = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.discarding());
                assertThat(refused.statusCode()).as(path).isEqualTo(401);
            }
            HttpResponse<String> page = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/")).header("Authorization", login)
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<title>procpool dashboard</title>");
            HttpResponse<java.io.InputStream> events = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/api/events")).header("Authorization", login)
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(events.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/event-stream"));
            try (java.io.BufferedReader lines = new java.io.BufferedReader(
                    new java.io.InputStreamReader(events.body(), StandardCharsets.UTF_8))) {
                assertThat(lines.lines().filter(line -> line.startsWith("data: ")).findFirst())
                        .hasValueSatisfying(line -> assertThat(line).contains("\"coordinator\""));
            }
        }
    }

    @Test
    void theCancelButtonCancelsTheBatch() throws Exception {
        coordinator.drop("sleep/cancelme.txt", sleeps(400, 100));
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> percentOf("sleep/cancelme.txt") >= 0);

        WebElement cancel = browser.findElement(batchRow("sleep/cancelme.txt")).findElement(By.className("cancel"));
        cancel.click();
        browser.switchTo().alert().accept();

        await().atMost(PATIENCE).until(() -> "cancelled".equals(read(() -> browser.findElement(
                historyRow("sleep/cancelme.txt")).getAttribute("data-outcome"))));
        Path error = coordinator.awaitOutbox("cancelme.txt.error");
        assertThat(Files.readString(error)).contains("cancelled by dashboard");
        assertThat(coordinator.workDir.resolve("outbox/cancelme.txt")).doesNotExist();
    }
}
