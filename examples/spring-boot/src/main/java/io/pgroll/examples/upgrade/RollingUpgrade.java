package io.pgroll.examples.upgrade;

import io.pgroll.examples.upgrade.v1.V1Application;
import io.pgroll.examples.upgrade.v2.V2Application;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A rolling upgrade through a breaking change, on an embedded PostgreSQL: build 1 serves; build 2
 * (column {@code name} renamed to {@code title} and made required) starts beside it and both serve,
 * each in its own shape, while clients keep writing and reading; build 1 is stopped; the migration is
 * completed through build 2's Actuator endpoint; build 2 serves alone. No request may fail.
 *
 * <p>Run it: {@code mvn -q -pl examples/spring-boot -am -Pexample -DskipTests verify}.
 */
public final class RollingUpgrade {
    private RollingUpgrade() {}

    /** What the clients saw. */
    record Report(int v1Answered, int v2Answered, int v2AnsweredAlone, List<String> failures, String v2Sees) {}

    public static void main(String[] args) throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            Report report = run(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "postgres");
            System.out.println();
            System.out.println("build 1 answered " + report.v1Answered() + " requests, build 2 "
                    + report.v2Answered() + " (" + report.v2AnsweredAlone() + " of them after complete); failed: "
                    + report.failures().size());
            System.out.println("build 2 reads, newest first: " + report.v2Sees());
            if (!report.failures().isEmpty()) {
                report.failures().forEach(System.out::println);
                System.exit(1);
            }
        }
    }

    static Report run(String url, String user, String password) throws Exception {
        ConfigurableApplicationContext v1 = start(V1Application.class, "v1", url, user, password);
        try {
            say("build 1 is up, pinned to version 01_create_items");
            Traffic v1Clients = new Traffic("v1", port(v1), "/items?name=", true);
            pause(1000);
            try (ConfigurableApplicationContext v2 =
                    start(V2Application.class, "v2", url, user, password, "pgroll.complete-previous=true")) {
                say("build 2 is up beside it, pinned to 02_title_required; both serve");
                Traffic v2Clients = new Traffic("v2", port(v2), "/items?title=", false);
                pause(2000);
                v1Clients.stop();
                v1.close();
                say("build 1 is stopped; completing 02_title_required through build 2's endpoint");
                int answeredBefore = v2Clients.answered();
                say("complete answered " + post(port(v2), "/actuator/pgroll/complete"));
                pause(1000);
                v2Clients.stop();
                List<String> failures = new ArrayList<>(v1Clients.failures());
                failures.addAll(v2Clients.failures());
                return new Report(
                        v1Clients.answered(),
                        v2Clients.answered(),
                        v2Clients.answered() - answeredBefore,
                        failures,
                        get(port(v2), "/items/latest"));
            }
        } finally {
            v1.close(); // does nothing when it was stopped already
        }
    }

    private static ConfigurableApplicationContext start(
            Class<?> application, String build, String url, String user, String password, String... more) {
        List<String> properties = new ArrayList<>(List.of(
                "spring.datasource.url=" + url,
                "spring.datasource.username=" + user,
                "spring.datasource.password=" + password,
                "pgroll.locations=classpath:upgrade/" + build,
                "server.port=0",
                "spring.main.banner-mode=off",
                "logging.level.root=warn",
                "management.endpoints.web.exposure.include=pgroll,health",
                "management.endpoint.pgroll.access=unrestricted"));
        properties.addAll(List.of(more));
        return new SpringApplicationBuilder(application)
                .properties(properties.toArray(String[]::new))
                .run();
    }

    private static int port(ConfigurableApplicationContext app) {
        return ((WebServerApplicationContext) app).getWebServer().getPort();
    }

    private static String post(int port, String path) throws Exception {
        return send("POST", port, path);
    }

    private static String get(int port, String path) throws Exception {
        return send("GET", port, path);
    }

    private static String send(String method, int port, String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                                .method(method, HttpRequest.BodyPublishers.noBody())
                                .header("Content-Type", "application/json")
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(
                    method + " " + path + ": HTTP " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    private static void pause(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }

    private static void say(String what) {
        System.out.println("== " + what);
    }
}
