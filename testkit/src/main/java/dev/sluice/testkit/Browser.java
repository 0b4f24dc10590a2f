package dev.sluice.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium, headless, on one page, driven through Debian's chromedriver (never a downloaded browser or
 * driver), with the flags that keep it off the network. A module that uses it adds selenium-chrome-driver to its
 * test dependencies.
 */
public final class Browser implements AutoCloseable {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final ChromeDriver driver;
    private final Duration wait;

    private Browser(ChromeDriver driver, Duration wait) {
        this.driver = driver;
        this.wait = wait;
    }

    /** Opens {@code url}; {@link #await} then waits up to {@code wait} for what the page should show. */
    public static Browser open(String url, Duration wait) {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("The browser tests need Debian's chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER
                    + "): apt-get install chromium chromium-driver (.ci/run installs them).");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1280,900");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        Browser browser = new Browser(new ChromeDriver(service, options), wait);
        browser.driver.get(url);
        return browser;
    }

    public List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** The text of the first element matching {@code css}, "" when none does. */
    public String text(String css) {
        List<WebElement> found = all(css);
        return found.isEmpty() ? "" : found.get(0).getText();
    }

    /** An attribute of the first element matching {@code css}, "" when none does or it has none. */
    public String attribute(String css, String name) {
        List<WebElement> found = all(css);
        String value = found.isEmpty() ? null : found.get(0).getAttribute(name);
        return value == null ? "" : value;
    }

    /** Polls the page until the condition holds; on timeout fails with a screenshot of what it showed. */
    public void await(Supplier<Boolean> condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!holds(condition)) {
            if (System.nanoTime() > deadline) {
                Path shot = screenshot("browser-failed-" + System.nanoTime() + ".png");
                fail("The page never showed " + what + " within " + wait.toSeconds() + " s (screenshot " + shot + ")");
            }
            Thread.sleep(100);
        }
    }

    private static boolean holds(Supplier<Boolean> condition) {
        try {
            return condition.get();
        } catch (RuntimeException stale) { // the page replaced the element while it was read: ask again
            return false;
        }
    }

    /** Resizes the window, e.g. to a phone's width. */
    public void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /** The page needs no sideways scrolling at the window's width (wide tables may scroll inside themselves). */
    public boolean fitsWidth() {
        Object fits = driver.executeScript("return document.documentElement.scrollWidth <= window.innerWidth;");
        return Boolean.TRUE.equals(fits);
    }

    /** Saves what the page shows now as {@code target/<name>}. */
    public Path screenshot(String name) {
        File png = driver.getScreenshotAs(OutputType.FILE);
        Path target = Path.of("target", name);
        try {
            Files.createDirectories(target.getParent());
            Files.copy(png.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target.toAbsolutePath();
    }

    @Override
    public void close() {
        driver.quit();
    }
}
