package io.pgroll.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgroll.testing.PostgresExtension;
import io.pgroll.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class IdentifiersTest {

    /** The pin's text must be quote_ident's, or the engine's triggers would mistake whose write it is. */
    @Test
    void quoteIdentIsTheServersForEveryKeywordAndAwkwardName(TestDatabase db) {
        List<String> names = new ArrayList<>();
        for (List<String> row : db.query("SELECT word FROM pg_get_keywords()")) {
            names.add(row.get(0));
        }
        names.addAll(List.of(
                "public_02_add",
                "_x",
                "x$y",
                "Public_02",
                "public 02",
                "02_public",
                "pub\"lic",
                "été",
                "a-b",
                "current_user",
                "public_json_table"));
        List<String> differences = new ArrayList<>();
        for (String name : names) {
            String server = db.queryValue("SELECT quote_ident('" + name.replace("'", "''") + "')");
            String ours = Identifiers.quoteIdent(name);
            // older majors quote fewer keywords; quoting one of ours they do not is caught at connect
            boolean newerKeyword = Identifiers.QUOTED_KEYWORDS.contains(name) && server.equals(name);
            if (!server.equals(ours) && !newerKeyword) {
                differences.add(name);
            }
        }
        assertThat(differences)
                .as("names that Identifiers.quoteIdent renders otherwise than the server")
                .isEmpty();
    }
}
