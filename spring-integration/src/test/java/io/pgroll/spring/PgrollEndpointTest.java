package io.pgroll.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgroll.testing.TestDatabase;
import io.pgroll.testing.TestPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The Actuator endpoint and health indicator of a running application, over HTTP. */
@SpringBootTest(
        classes = TestApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "pgroll.locations=classpath:builds/v1",
            "management.endpoints.web.exposure.include=pgroll,health",
            "management.endpoint.pgroll.access=unrestricted",
            "management.endpoint.health.show-components=always",
            "management.endpoint.health.show-details=always"
        })
class PgrollEndpointTest {
    private static final TestDatabase DB = TestPostgres.createDatabase("spring_endpoint");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    private int port;

    @Autowired
    private JdbcTemplate jdbc;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", DB::jdbcUrl);
        registry.add("spring.datasource.username", DB::user);
        registry.add("spring.datasource.password", DB::password);
    }

    private HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .header("Content-Type", "application/json")
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void reportsTheSchemaCompletesTheMigrationAndTellsHealth() throws Exception {
        assertThat(jdbc.queryForObject("SHOW search_path", String.class)).isEqualTo("public_01_create_items");

        HttpResponse<String> report = send("GET", "/actuator/pgroll");
        assertThat(report.statusCode()).isEqualTo(200);
        assertThat(report.body())
                .contains("\"schema\":\"public\"")
                .contains("\"state\":\"In progress\"")
                .contains("\"activeMigration\":\"01_create_items\"")
                .contains("\"buildVersion\":\"01_create_items\"")
                .contains("\"liveVersions\":[\"01_create_items\"]")
                .contains("\"startedAtStartup\":[\"01_create_items\"]")
                .contains("\"history\":[{\"name\":\"01_create_items\"");

        HttpResponse<String> health = send("GET", "/actuator/health");
        assertThat(health.body())
                .contains(
                        "\"pgroll\":{\"details\":{\"buildVersion\":\"01_create_items\",\"liveVersions\":[\"01_create_items\"]},\"status\":\"UP\"}");

        HttpResponse<String> unknown = send("POST", "/actuator/pgroll/launch");
        assertThat(unknown.statusCode()).isEqualTo(400);

        HttpResponse<String> complete = send("POST", "/actuator/pgroll/complete");
        assertThat(complete.statusCode()).isEqualTo(200);
        assertThat(complete.body()).contains("\"action\":\"completed\"").contains("\"migration\":\"01_create_items\"");
        assertThat(send("GET", "/actuator/pgroll").body())
                .contains("\"state\":\"Complete\"")
                .contains("\"activeMigration\":null");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM items", Integer.class))
                .isZero();

        HttpResponse<String> again = send("POST", "/actuator/pgroll/complete");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("\"refused\":\"").contains("in progress");
    }
}
