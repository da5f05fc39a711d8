package io.pgroll.examples.upgrade;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** One client of one build: writes and reads in a loop, counting what answered and what did not. */
final class Traffic {
    private final String build;
    private final String writePath;
    private final int port;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger answered = new AtomicInteger();
    private final List<String> failures = new ArrayList<>();
    private final Thread thread;

    /**
     * @param writePath the write request, e.g. {@code /items?name=}; the loop appends a value, or nothing
     *     every other time when {@code sometimesEmpty}
     */
    Traffic(String build, int port, String writePath, boolean sometimesEmpty) {
        this.build = build;
        this.port = port;
        this.writePath = writePath;
        this.thread = new Thread(() -> loop(sometimesEmpty), "traffic-" + build);
        thread.start();
    }

    private void loop(boolean sometimesEmpty) {
        for (int i = 0; running.get(); i++) {
            String value = sometimesEmpty && i % 2 == 1 ? "" : build + "-" + i;
            String path = value.isEmpty() ? writePath.substring(0, writePath.indexOf('?')) : writePath + value;
            send("POST", path);
            send("GET", "/items/latest");
        }
    }

    private void send(String method, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(10))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 == 2) {
                answered.incrementAndGet();
            } else {
                fail(method + " " + path + ": HTTP " + response.statusCode() + " " + response.body());
            }
        } catch (IOException e) {
            fail(method + " " + path + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
        }
    }

    private synchronized void fail(String failure) {
        failures.add(failure);
    }

    int answered() {
        return answered.get();
    }

    synchronized List<String> failures() {
        return List.copyOf(failures);
    }

    String build() {
        return build;
    }

    /** Stops the loop after its current request; the counts stay readable. */
    void stop() throws InterruptedException {
        running.set(false);
        thread.join();
    }
}
