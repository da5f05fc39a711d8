package io.pgroll.examples.upgrade.v1;

import java.util.List;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Build 1: items have an optional name. Its migrations: {@code upgrade/v1}. */
@SpringBootApplication
public class V1Application {

    @RestController
    static class Items {
        private final JdbcTemplate jdbc;

        Items(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @PostMapping("/items")
        int add(@RequestParam(required = false) String name) {
            return jdbc.queryForObject("INSERT INTO items (name) VALUES (?) RETURNING id", Integer.class, name);
        }

        @GetMapping("/items/latest")
        List<String> latest() {
            return jdbc.queryForList(
                    "SELECT coalesce(name, '(none)') FROM items ORDER BY id DESC LIMIT 3", String.class);
        }
    }
}
