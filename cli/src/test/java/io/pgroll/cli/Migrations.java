package io.pgroll.cli;

/** The migration files the CLI tests apply. */
final class Migrations {
    private Migrations() {}

    static final String CREATE_USERS =
            """
            operations:
              - create_table:
                  name: users
                  columns:
                    - name: id
                      type: serial
                      pk: true
                    - name: name
                      type: text
            """;

    static final String ADD_EMAIL =
            """
            operations:
              - add_column:
                  table: users
                  up: lower(name) || '@example.com'
                  column:
                    name: email
                    type: text
                    nullable: false
            """;

    static final String CREATE_ITEMS =
            """
            operations:
              - create_table:
                  name: items
                  columns:
                    - name: id
                      type: integer
                      pk: true
            """;
}
