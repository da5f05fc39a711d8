package io.pgroll.agent;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.pgroll.jdbc.PgrollProperty;
import java.lang.instrument.Instrumentation;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

/**
 * The Java agent: pins an unchanged {@code jdbc:postgresql:} application to a schema version.
 *
 * <pre>{@code
 * java -javaagent:pgroll.jar=version=latest -jar app.jar
 * PGROLL_VERSION=02_add_rating java -javaagent:pgroll.jar -jar app.jar
 * }</pre>
 *
 * Arguments, comma-separated, each with an environment variable (the argument wins): {@code version}
 * ({@code PGROLL_VERSION}), {@code schema} ({@code PGROLL_SCHEMA}), {@code stateSchema} ({@code
 * PGROLL_STATE_SCHEMA}), {@code pinMode} ({@code PGROLL_PIN_MODE}), {@code validate} ({@code
 * PGROLL_VALIDATE}); they mean what the driver's {@code pgroll*} properties mean, and a {@code pgroll*}
 * property in a connection's URL or properties still wins over them.
 *
 * <p>It rewrites pgJDBC's {@code org.postgresql.Driver.connect} so that each connection goes through
 * {@link io.pgroll.jdbc.PgrollDriver#pinning}, over the application's own pgJDBC: whatever opens the
 * connection ({@code DriverManager}, {@code PGSimpleDataSource}, HikariCP), it comes back pinned and of
 * the application's pgJDBC classes. The agent holds no migration logic.
 */
public final class PgrollAgent {
    private static final Map<String, PgrollProperty> ARGUMENTS = Map.of(
            "version", PgrollProperty.VERSION,
            "schema", PgrollProperty.SCHEMA,
            "stateSchema", PgrollProperty.STATE_SCHEMA,
            "pinMode", PgrollProperty.PIN_MODE,
            "validate", PgrollProperty.VALIDATE);

    private PgrollAgent() {}

    public static void premain(String arguments, Instrumentation instrumentation) {
        Properties defaults = defaults(arguments, System.getenv());
        if (defaults.getProperty(PgrollProperty.VERSION.getName()) == null) {
            System.err.println("[pgroll agent] no version given (-javaagent:pgroll.jar=version=... or PGROLL_VERSION):"
                    + " connections are not pinned");
        }
        AgentBridge.install(defaults);
        new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .type(named("org.postgresql.Driver"))
                .transform((builder, type, loader, module, domain) -> builder.visit(Advice.to(ConnectAdvice.class)
                        .on(named("connect").and(takesArguments(String.class, java.util.Properties.class)))))
                .installOn(instrumentation);
    }

    /** The agent's arguments over the environment, as driver properties. */
    static Properties defaults(String arguments, Map<String, String> environment) {
        Properties defaults = new Properties();
        ARGUMENTS.forEach((argument, property) -> {
            String variable = "PGROLL_" + argument.replaceAll("([A-Z])", "_$1").toUpperCase(Locale.ROOT);
            String value = environment.get(variable);
            if (value != null && !value.isBlank()) {
                defaults.setProperty(property.getName(), value.trim());
            }
        });
        if (arguments != null && !arguments.isBlank()) {
            for (String pair : arguments.split(",")) {
                String[] kv = pair.split("=", 2);
                PgrollProperty property = ARGUMENTS.get(kv[0].trim());
                if (property == null || kv.length < 2) {
                    throw new IllegalArgumentException("pgroll agent: cannot read argument \"" + pair
                            + "\": expected name=value with name one of " + String.join(", ", ARGUMENTS.keySet()));
                }
                defaults.setProperty(property.getName(), kv[1].trim());
            }
        }
        return defaults;
    }
}
