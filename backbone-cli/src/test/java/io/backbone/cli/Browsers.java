package io.backbone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** The real browser the catalog's tests drive: Debian's headless Chromium through its chromedriver. */
final class Browsers {
    private Browsers() {}

    /** A new headless Chromium (1280 × 1600); the caller quits it. */
    static ChromeDriver chromium() {
        File chromium = new File("/usr/bin/chromium");
        assertThat(chromium)
                .as("the browser test needs Chromium: apt-get install chromium chromium-driver (.ci/run does)")
                .exists();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1600");
        return new ChromeDriver(
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                        .build(),
                options);
    }
}
