package io.pgroll.examples.upgrade.v2;

import java.util.List;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Build 2: the column is called title and is required. Its migrations: {@code upgrade/v2}. */
@SpringBootApplication
public class V2Application {

    @RestController
    static class Items {
        private final JdbcTemplate jdbc;

        Items(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @PostMapping("/items")
        int add(@RequestParam String title) {
            return jdbc.queryForObject("INSERT INTO items (title) VALUES (?) RETURNING id", Integer.class, title);
        }

        @GetMapping("/items/latest")
        List<String> latest() {
            return jdbc.queryForList("SELECT title FROM items ORDER BY id DESC LIMIT 3", String.class);
        }
    }
}
