package io.pgroll.spring;

import io.pgroll.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts the test application as one build of it would start: its migrations are those of {@code
 * builds/<build>} on the test class path, its DataSource Boot's HikariCP with a plain {@code
 * jdbc:postgresql:} URL.
 */
final class Builds {
    private Builds() {}

    static ConfigurableApplicationContext start(TestDatabase db, String build, String... properties) {
        return application(db, build, WebApplicationType.NONE, properties).run();
    }

    static SpringApplication application(TestDatabase db, String build, WebApplicationType web, String... properties) {
        List<String> all = new ArrayList<>(List.of(
                "spring.datasource.url=" + db.jdbcUrl(),
                "spring.datasource.username=" + db.user(),
                "spring.datasource.password=" + db.password(),
                "spring.datasource.hikari.maximum-pool-size=2",
                "pgroll.locations=classpath:builds/" + build));
        all.addAll(List.of(properties));
        return new SpringApplicationBuilder(TestApplication.class)
                .web(web)
                .properties(all.toArray(String[]::new))
                .build();
    }
}
