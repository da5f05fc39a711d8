package io.pgroll.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test class one {@link TestDatabase}, created on first use and dropped after the class.
 * Use with {@code @ExtendWith(PostgresExtension.class)} and a {@code TestDatabase} parameter in a
 * {@code @BeforeAll}, constructor or test method.
 */
public final class PostgresExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(PostgresExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == TestDatabase.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> testClass = extensionContext.getRequiredTestClass();
        ExtensionContext classContext = classContext(extensionContext);
        return classContext
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(
                        "database",
                        key -> new ClosingDatabase(TestDatabase.create(testClass.getSimpleName())),
                        ClosingDatabase.class)
                .database();
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext current = context;
        while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
            current = current.getParent().get();
        }
        return current;
    }

    /** Closed with the class's store: JUnit closes every AutoCloseable value it holds. */
    private record ClosingDatabase(TestDatabase database) implements AutoCloseable {
        @Override
        public void close() {
            database.close();
        }
    }
}
