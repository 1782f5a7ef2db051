package io.backbone.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Asks a running command's management port whether it is ready: the container image's health check (the image has no
 * shell and no curl), and a script's.
 */
@Command(
        name = "health",
        description = "Ask a running backbone command's management port whether it is ready (exit 0) or not (exit 1).")
final class HealthCommand implements Callable<Integer> {
    @Option(
            names = "--url",
            defaultValue = "http://127.0.0.1:9464/health/ready",
            description = "The health endpoint (default ${DEFAULT-VALUE}; /health/live for liveness).")
    URI url;

    @Override
    public Integer call() throws Exception {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            System.out.println(r.body().trim());
            return r.statusCode() == 200 ? 0 : 1;
        } catch (java.io.IOException e) {
            System.err.println("backbone health: " + url + " does not answer (" + e.getMessage()
                    + "); is the command running, and on this --management-port?");
            return 1;
        }
    }
}
