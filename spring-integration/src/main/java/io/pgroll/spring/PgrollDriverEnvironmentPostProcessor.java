package io.pgroll.spring;

import io.pgroll.jdbc.PgrollDriver;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * For a {@code spring.datasource.url} the user wrote as {@code jdbc:pgroll:}, names our driver when
 * the user did not name one: Boot knows no driver for that prefix, and falls back to an embedded
 * database's driver (H2's, when H2 is on the class path) or fails.
 */
class PgrollDriverEnvironmentPostProcessor implements EnvironmentPostProcessor {
    private static final String URL = "spring.datasource.url";
    private static final String DRIVER = "spring.datasource.driver-class-name";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String url = environment.getProperty(URL);
        if (url != null && url.startsWith("jdbc:pgroll:") && environment.getProperty(DRIVER) == null) {
            environment
                    .getPropertySources()
                    .addLast(new MapPropertySource("pgrollDriver", Map.of(DRIVER, PgrollDriver.class.getName())));
        }
    }
}
