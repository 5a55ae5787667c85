package dev.dukequeue.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The admin UI in a real headless browser (Debian's Chromium through ChromeDriver) against the real WAR on Payara
 * Micro: sign in, filter, open a job, retry a dead job and see it complete, pause a queue, and a payload with a
 * {@code <script>} shown as text. Screenshots of the main pages go to {@code target/screenshots}.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AdminUiIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @ArquillianResource
    URL base;

    private WebDriver browser;
    private WebDriverWait wait;

    @Deployment(name = "dukequeue")
    static WebArchive deployment() {
        Map<String, String> config = Deployments.fastEngine("it-ui");
        config.put("dukequeue.data.dir", Deployments.freshDataDir("ui"));
        config.put("dukequeue.stats.interval.ms", "1000");
        return Deployments.dukequeue(config);
    }

    @BeforeEach
    void browser() {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        String missing = "Debian's chromium and chromium-driver are not installed (.ci/run installs them)";
        // On CI a missing browser is a failure: a green build must mean the browser suite ran.
        if ("true".equals(System.getenv("CI"))) {
            assertThat(installed).as(missing).isTrue();
        }
        Assumptions.assumeTrue(installed, missing);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,900");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    }

    @AfterEach
    void close() {
        if (browser != null) {
            browser.quit();
        }
    }

    private JsonObject api(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "api/v1" + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        ("admin:" + Deployments.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return Json.createReader(new StringReader(r.body())).readObject();
    }

    private void signIn() {
        browser.get(base + "ui/");
        wait.until(ExpectedConditions.urlContains("login.html"));
        browser.findElement(By.id("username")).sendKeys("admin");
        browser.findElement(By.id("password")).sendKeys(Deployments.ADMIN_PASSWORD);
        browser.findElement(By.id("signin")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("queues-overview")));
    }

    private void screenshot(String name) throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "screenshots"));
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, dir.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void wrongCredentialsAreRefusedAndNothingIsShownWithoutSigningIn() {
        browser.get(base + "ui/");
        wait.until(ExpectedConditions.urlContains("login.html"));
        browser.findElement(By.id("username")).sendKeys("admin");
        browser.findElement(By.id("password")).sendKeys("wrong");
        browser.findElement(By.id("signin")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("failed")));
        assertThat(browser.getCurrentUrl()).contains("login.html?failed");
    }

    @Test
    void anOperatorFiltersOpensRetriesADeadJobAndPausesAQueue() throws Exception {
        String queue = "ui-" + System.nanoTime();
        // A job whose outage ends in 4 s: dead after its single attempt, fine when retried later.
        String dead = api("POST", "/jobs", "{\"type\":\"demo.fail\",\"queue\":\"" + queue + "\",\"maxAttempts\":1,"
                + "\"payload\":{\"failUntil\":\"" + Instant.now().plusSeconds(4) + "\"}}").getString("id");
        String hostile = api("POST", "/jobs", "{\"type\":\"demo.echo\",\"queue\":\"" + queue + "\",\"payload\":"
                + "{\"note\":\"<script>window.pwned=1</script><img src=x onerror=window.pwned=2>\"}}").getString("id");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                api("GET", "/jobs/" + dead, null).getString("state").equals("DEAD_LETTER"));

        signIn();
        org.openqa.selenium.Cookie session = browser.manage().getCookieNamed("JSESSIONID");
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.getSameSite()).as("the browser kept the SameSite=Strict session cookie").isEqualTo("Strict");
        assertThat(browser.findElement(By.id("queues-overview")).getText()).contains(queue);
        assertThat(browser.findElement(By.id("card-ready")).getText()).contains("UP");
        assertThat(browser.findElement(By.id("card-database")).getText()).contains("closed");

        browser.findElement(By.id("nav-jobs")).click();
        new Select(wait.until(ExpectedConditions.elementToBeClickable(By.id("filter-state")))).selectByValue("DEAD_LETTER");
        WebElement queueFilter = browser.findElement(By.id("filter-queue"));
        queueFilter.clear();
        queueFilter.sendKeys(queue);
        browser.findElement(By.id("filter-apply")).click();
        // The unfiltered list had both jobs: wait for the filtered one.
        wait.until(d -> d.getCurrentUrl().contains("state=DEAD_LETTER")
                && d.findElements(By.cssSelector("#jobs tbody tr")).size() == 1);
        WebElement row = browser.findElement(By.cssSelector("tr[data-id='" + dead + "']"));
        screenshot("jobs");
        row.findElement(By.className("job-link")).click();

        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("job-fields"), "DEAD_LETTER"));
        await().atMost(Duration.ofSeconds(30)).until(() -> Instant.now().isAfter(Instant.parse(
                api("GET", "/jobs/" + dead, null).getJsonObject("payload").getString("failUntil"))));
        browser.findElement(By.id("retry")).click();
        browser.switchTo().alert().accept();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "Re-driven."));
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            browser.navigate().refresh();
            return wait.until(ExpectedConditions.presenceOfElementLocated(By.id("job-fields"))).getText()
                    .contains("COMPLETED");
        });
        assertThat(browser.findElement(By.id("attempts")).getText()).contains("FAILED").contains("SUCCEEDED");
        WebElement failedAttempt = browser.findElements(By.cssSelector("#attempts tbody tr")).stream()
                .filter(r -> r.getText().contains("FAILED")).findFirst().orElseThrow();
        assertThat(failedAttempt.findElement(By.cssSelector("td:last-child summary")).getText())
                .as("the error column shows the attempt's category and message")
                .startsWith("TEMPORARY: ").contains("demo.fail: the outage lasts until");
        screenshot("job");

        browser.get(base + "ui/#/job/" + hostile);
        // The same page re-renders for the new job: wait for its payload (an old element may go stale meanwhile).
        String payload = wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
            String text = d.findElement(By.id("payload")).getText();
            return text.contains("pwned") ? text : null;
        });
        assertThat(payload).as("shown as text").contains("<script>window.pwned=1</script>")
                .contains("<img src=x onerror=window.pwned=2>");
        assertThat(((JavascriptExecutor) browser).executeScript("return window.pwned === undefined")).isEqualTo(true);
        assertThat(browser.findElements(By.cssSelector("#payload script, #payload img"))).isEmpty();

        browser.findElement(By.id("nav-queues")).click();
        WebElement queueRow = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("tr[data-queue='" + queue + "']")));
        queueRow.findElement(By.className("pause-toggle")).click();
        browser.switchTo().alert().accept();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "Queue " + queue + " paused."));
        assertThat(browser.findElement(By.cssSelector("tr[data-queue='" + queue + "'] .queue-status")).getText())
                .isEqualTo("paused");
        JsonObject listed = api("GET", "/queues", null).getJsonArray("items").getValuesAs(JsonObject.class).stream()
                .filter(q -> q.getString("name").equals(queue)).findFirst().orElseThrow();
        assertThat(listed.getBoolean("paused")).as("paused for every node, through the same API").isTrue();
        api("POST", "/queues/" + queue + "/resume", null);
    }

    private JsonObject history(String queue) throws Exception {
        return api("GET", "/stats/history?minutes=60&queue=" + queue, null);
    }

    private static long sum(JsonObject history, String field) {
        return history.getJsonArray("points").getValuesAs(JsonObject.class).stream()
                .mapToLong(p -> p.getJsonNumber(field).longValue()).sum();
    }

    @Test
    void theOverviewChartsActivityListsTheNodeAndFinishedJobsArePurgedFromTheQueuesPage() throws Exception {
        String queue = "ui-purge-" + System.nanoTime();
        for (int i = 0; i < 3; i++) {
            api("POST", "/jobs", "{\"type\":\"demo.echo\",\"queue\":\"" + queue + "\",\"payload\":{\"i\":" + i + "}}");
        }
        // The node writes its activity once per second here: wait until the history holds the three completions.
        await().atMost(Duration.ofSeconds(30)).until(() -> sum(history(queue), "completed") == 3);

        signIn();
        WebElement throughput = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#chart-throughput .plot")));
        assertThat(throughput.getAttribute("aria-label")).contains("completed: latest").doesNotContain("highest 0;");
        assertThat(browser.findElements(By.cssSelector("#chart-throughput path.line.series-0"))).hasSize(1);
        assertThat(browser.findElements(By.cssSelector("#chart-depth path.line"))).isNotEmpty();
        assertThat(browser.findElement(By.id("chart-failures")).getText()).contains("Failure rate");
        WebElement node = browser.findElement(By.cssSelector("#nodes tbody tr"));
        assertThat(node.getText()).contains("it-ui#").contains("alive").contains("RUNNING");
        screenshot("overview");
        browser.findElement(By.linkText("6 hours")).click();
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> d.getCurrentUrl().contains("range=360")
                && d.findElement(By.cssSelector(".range a.active")).getText().equals("6 hours"));

        browser.findElement(By.id("nav-queues")).click();
        new Select(wait.until(ExpectedConditions.elementToBeClickable(By.id("purge-queue")))).selectByValue(queue);
        new Select(browser.findElement(By.id("purge-age"))).selectByValue("0");
        browser.findElement(By.id("purge-submit")).click();
        assertThat(browser.switchTo().alert().getText()).contains("COMPLETED, CANCELLED").contains(queue);
        browser.switchTo().alert().accept();
        WebElement done = new WebDriverWait(browser, Duration.ofSeconds(90)).until(
                ExpectedConditions.presenceOfElementLocated(By.id("purge-done")));
        assertThat(done.getText()).contains("Purged 3 finished job(s)").contains("COMPLETED 3");
        assertThat(api("GET", "/jobs?queue=" + queue, null).getJsonArray("items")).isEmpty();
        screenshot("queues");
    }

    /** @return true if the page is no wider than the window (nothing to scroll sideways) */
    private boolean fitsTheWidth() {
        return (Boolean) ((JavascriptExecutor) browser).executeScript(
                "return document.documentElement.scrollWidth <= window.innerWidth + 1");
    }

    private String focused() {
        return (String) ((JavascriptExecutor) browser).executeScript(
                "const a = document.activeElement; return a ? (a.id || a.className || a.tagName) : ''");
    }

    /** Presses Tab (or Shift+Tab) until the focused element matches, as a keyboard user would (at most 60 presses). */
    private void tabTo(java.util.function.Predicate<String> target, boolean backwards) {
        CharSequence key = backwards ? org.openqa.selenium.Keys.chord(org.openqa.selenium.Keys.SHIFT,
                org.openqa.selenium.Keys.TAB) : org.openqa.selenium.Keys.TAB;
        for (int i = 0; i < 60 && !target.test(focused()); i++) {
            new org.openqa.selenium.interactions.Actions(browser).sendKeys(key).perform();
        }
        assertThat(focused()).matches(target::test);
    }

    @Test
    void onAPhoneEveryPageFitsTheScreenAndAJobIsFoundAndOpenedWithTheKeyboardOnly() throws Exception {
        String queue = "ui-phone-" + System.nanoTime();
        String id = api("POST", "/jobs", "{\"type\":\"demo.echo\",\"queue\":\"" + queue + "\",\"payload\":"
                + "{\"text\":\"" + "a-long-unbroken-word-".repeat(10) + "\"}}").getString("id");
        await().atMost(Duration.ofSeconds(30)).until(() -> api("GET", "/jobs/" + id, null).getString("state")
                .equals("COMPLETED"));
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        signIn();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("chart-throughput")));
        assertThat(fitsTheWidth()).as("overview fits a phone's width").isTrue();
        screenshot("overview-phone");

        // Keyboard only: Shift+Tab from the page up to the Jobs link, Enter; Tab to the queue filter, type, Enter; Tab
        // to the job, Enter. (Each page takes the focus when it shows, as a screen reader user needs.)
        tabTo("nav-jobs"::equals, true);
        new org.openqa.selenium.interactions.Actions(browser).sendKeys(org.openqa.selenium.Keys.ENTER).perform();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("filters")));
        assertThat(fitsTheWidth()).as("jobs fit").isTrue();
        tabTo("filter-queue"::equals, false);
        new org.openqa.selenium.interactions.Actions(browser).sendKeys(queue, org.openqa.selenium.Keys.ENTER).perform();
        wait.until(d -> d.getCurrentUrl().contains("queue=" + queue)
                && d.findElements(By.cssSelector("#jobs tbody tr")).size() == 1);
        tabTo("job-link"::equals, false);
        new org.openqa.selenium.interactions.Actions(browser).sendKeys(org.openqa.selenium.Keys.ENTER).perform();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("job-fields"), "COMPLETED"));
        assertThat(browser.getCurrentUrl()).endsWith("#/job/" + id);
        assertThat(fitsTheWidth()).as("a job with a long id and payload fits").isTrue();
        screenshot("job-phone");

        browser.get(base + "ui/#/queues");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("purge")));
        assertThat(fitsTheWidth()).as("queues fit").isTrue();
    }

    @Test
    void aStateChangeWithTheSessionCookieButWithoutTheCsrfTokenIsRefused() {
        signIn();
        Object status = ((JavascriptExecutor) browser).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "fetch('../api/v1/queues/csrf-probe/pause', {method: 'POST', credentials: 'same-origin'})"
                        + ".then(r => done(r.status)).catch(e => done(String(e)));");
        assertThat(status).isEqualTo(403L);
        Object withToken = ((JavascriptExecutor) browser).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "fetch('../api/v1/session').then(r => r.json()).then(s => fetch("
                        + "'../api/v1/queues/csrf-probe/resume', {method: 'POST', credentials: 'same-origin',"
                        + " headers: {'X-CSRF-Token': s.csrfToken}})).then(r => done(r.status)).catch(e => done(String(e)));");
        assertThat(withToken).isEqualTo(200L);
    }

    /**
     * A page of another origin on the same host (another port: the same site, so even the SameSite=Strict cookie goes
     * along), with the two forms a hostile page can send without script: a text/plain form whose body is a valid
     * job, and an empty form to pause a queue. Served by a server of the test's own.
     */
    private com.sun.net.httpserver.HttpServer hostilePage(String queue) throws Exception {
        String api = base + "api/v1";
        String html = "<!DOCTYPE html><html><body>"
                + "<form method='post' enctype='text/plain' action='" + api + "/jobs'>"
                + "<input type='hidden' name='{\"type\":\"demo.echo\",\"queue\":\"" + queue
                + "\",\"payload\":{\"a\":\"' value='\"}}'><button id='forge-submit'>submit</button></form>"
                + "<form method='post' action='" + api + "/queues/" + queue + "/pause'>"
                + "<button id='forge-pause'>pause</button></form></body></html>";
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(base.getHost(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] page = html.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        server.start();
        return server;
    }

    /** Opens the hostile page and sends each of its forms; the API must refuse both and write nothing. */
    private void hostileFormsAreRefused(String queue) throws Exception {
        com.sun.net.httpserver.HttpServer server = hostilePage(queue);
        try {
            String page = "http://" + base.getHost() + ":" + server.getAddress().getPort() + "/";
            for (String form : new String[] {"forge-submit", "forge-pause"}) {
                browser.get(page);
                wait.until(ExpectedConditions.elementToBeClickable(By.id(form))).click();
                wait.until(d -> d.getCurrentUrl().startsWith(base.toString()));
                assertThat(browser.findElement(By.tagName("body")).getText()).as(form + " answered with an error")
                        .contains("\"error\"");
            }
        } finally {
            server.stop(0);
        }
        assertThat(api("GET", "/jobs?queue=" + queue, null).getJsonArray("items")).as("no job forged").isEmpty();
        assertThat(api("GET", "/queues", null).getJsonArray("items").getValuesAs(JsonObject.class).stream()
                .noneMatch(q -> q.getString("name").equals(queue) && q.getBoolean("paused"))).as("not paused").isTrue();
    }

    @Test
    void aFormOnAnotherSiteCannotUseTheBrowsersBasicCredentials() throws Exception {
        String queue = "ui-forged-basic-" + System.nanoTime();
        // The operator once opened the API in this browser with Basic credentials (the browser keeps them).
        browser.get(base.getProtocol() + "://admin:" + Deployments.ADMIN_PASSWORD + "@" + base.getHost() + ":"
                + base.getPort() + base.getPath() + "api/v1/session");
        assertThat(browser.findElement(By.tagName("body")).getText()).contains("\"user\":\"admin\"");
        hostileFormsAreRefused(queue);
    }

    @Test
    void aFormOnAnotherSiteCannotUseTheSignedInSessionWhileTheUisOwnActionsWork() throws Exception {
        String queue = "ui-forged-session-" + System.nanoTime();
        api("POST", "/jobs", "{\"type\":\"demo.echo\",\"queue\":\"" + queue + "\"}");
        signIn();
        hostileFormsAreRefused(queue.replace("session", "session-x"));
        // The same session, through the UI (with its token): pause the queue, then sign out.
        browser.get(base + "ui/#/queues");
        WebElement queueRow = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("tr[data-queue='" + queue + "']")));
        queueRow.findElement(By.className("pause-toggle")).click();
        browser.switchTo().alert().accept();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "Queue " + queue + " paused."));
        api("POST", "/queues/" + queue + "/resume", null);
        // Signing out (a form with the session's token) ends the session: its cookie authenticates nothing any more.
        String cookie = "JSESSIONID=" + browser.manage().getCookieNamed("JSESSIONID").getValue();
        browser.findElement(By.cssSelector("form.who button")).click();
        wait.until(ExpectedConditions.urlContains("login.html"));
        HttpResponse<String> after = HTTP.send(HttpRequest.newBuilder(URI.create(base + "api/v1/session"))
                .header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(after.statusCode()).isEqualTo(401);
    }

    @Test
    void deadJobsAreReDrivenByFilterAndJobsAreFoundByKeyAndTime() throws Exception {
        String queue = "ui-bulk-" + System.nanoTime();
        String until = Instant.now().plusSeconds(3).toString();
        String a = api("POST", "/jobs", "{\"type\":\"demo.fail\",\"queue\":\"" + queue + "\",\"maxAttempts\":1,"
                + "\"idempotencyKey\":\"invoice-7731\",\"payload\":{\"failUntil\":\"" + until + "\"}}").getString("id");
        String b = api("POST", "/jobs", "{\"type\":\"demo.fail\",\"queue\":\"" + queue + "\",\"maxAttempts\":1,"
                + "\"payload\":{\"failUntil\":\"" + until + "\"}}").getString("id");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                api("GET", "/jobs/" + a, null).getString("state").equals("DEAD_LETTER")
                        && api("GET", "/jobs/" + b, null).getString("state").equals("DEAD_LETTER"));
        await().atMost(Duration.ofSeconds(30)).until(() -> Instant.now().isAfter(Instant.parse(until)));

        signIn();
        browser.get(base + "ui/#/jobs?text=invoice-77");
        wait.until(d -> d.findElements(By.cssSelector("#jobs tbody tr")).size() == 1
                && !d.findElements(By.cssSelector("tr[data-id='" + a + "']")).isEmpty());
        browser.get(base + "ui/#/jobs?queue=" + queue + "&from=" + Instant.now().plusSeconds(3600));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "No job matches."));

        browser.get(base + "ui/#/jobs?state=DEAD_LETTER&queue=" + queue);
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d ->
                d.findElements(By.cssSelector("#jobs tbody tr")).size() == 2);
        wait.until(ExpectedConditions.elementToBeClickable(By.id("redrive-matching"))).click();
        browser.switchTo().alert().accept();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "Re-drove 2 of 2 matching job(s)."));
        await().atMost(Duration.ofSeconds(30)).until(() ->
                api("GET", "/jobs/" + a, null).getString("state").equals("COMPLETED")
                        && api("GET", "/jobs/" + b, null).getString("state").equals("COMPLETED"));
    }
}
