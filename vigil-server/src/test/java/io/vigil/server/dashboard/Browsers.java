package io.vigil.server.dashboard;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Playwright driving the system's Chromium (Debian package; {@code ./vigil test} installs it when missing). Playwright
 * is told not to download browsers of its own. {@code VIGIL_CHROMIUM} names another executable.
 */
record Browsers(Playwright playwright, Browser browser) implements AutoCloseable {

    static Browsers launch() {
        Path chromium = Path.of(System.getenv().getOrDefault("VIGIL_CHROMIUM", "/usr/bin/chromium"));
        if (!Files.isExecutable(chromium)) {
            throw new IllegalStateException("no Chromium at " + chromium + ": install it (apt-get install chromium; "
                    + "./vigil test does) or set VIGIL_CHROMIUM");
        }
        Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(chromium)
                .setHeadless(true).setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--no-first-run", "--disable-quic")));
        return new Browsers(playwright, browser);
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
