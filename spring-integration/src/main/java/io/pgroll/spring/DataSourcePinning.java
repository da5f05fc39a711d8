package io.pgroll.spring;

import io.pgroll.jdbc.PgrollDriver;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Driver;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.beans.BeanWrapper;
import org.springframework.beans.PropertyAccessorFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Pins the application's DataSource to the newest version the build ships, leaving {@code
 * spring.datasource.url} as the user wrote it ({@code jdbc:postgresql:}): the pool's URL becomes the
 * {@code jdbc:pgroll:} one, carrying the version in its query string, and its driver ours. Any pool
 * Boot builds that takes a URL and a driver class works so: HikariCP ({@code jdbcUrl}), Tomcat's and
 * DBCP2 ({@code url}, {@code driverClassName}), Spring's {@code SimpleDriverDataSource} ({@code
 * driver}). Runs after Boot bound the pool's properties, before the pool opens a connection. A
 * URL that is {@code jdbc:pgroll:} already is the user's own pin, left alone; a DataSource with no such
 * properties (a driver's own, such as {@code PGSimpleDataSource}) is left alone too, and the migrator
 * then says it is not pinned.
 */
final class DataSourcePinning implements BeanPostProcessor {
    private static final String POSTGRES_PREFIX = "jdbc:postgresql:";
    private static final List<String> URL_PROPERTIES = List.of("jdbcUrl", "url");

    private final Supplier<Optional<String>> version;
    private final String schema;
    private final String stateSchema;

    DataSourcePinning(Supplier<Optional<String>> version, String schema, String stateSchema) {
        this.version = version;
        this.schema = schema;
        this.stateSchema = stateSchema;
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (!(bean instanceof DataSource)) {
            return bean;
        }
        BeanWrapper pool = PropertyAccessorFactory.forBeanPropertyAccess(bean);
        Optional<String> urlProperty = URL_PROPERTIES.stream()
                .filter(p -> accessible(pool, p, String.class))
                .findFirst();
        boolean driverByName = accessible(pool, "driverClassName", String.class);
        if (urlProperty.isEmpty()
                || !(driverByName || accessible(pool, "driver", Driver.class))
                || !(pool.getPropertyValue(urlProperty.get()) instanceof String url)
                || !url.startsWith(POSTGRES_PREFIX)) {
            return bean;
        }
        version.get().ifPresent(pinned -> {
            pool.setPropertyValue(urlProperty.get(), pinnedUrl(url, pinned));
            if (driverByName) {
                pool.setPropertyValue("driverClassName", PgrollDriver.class.getName());
            } else {
                pool.setPropertyValue("driver", new PgrollDriver());
            }
        });
        return bean;
    }

    private String pinnedUrl(String url, String pinned) {
        return "jdbc:pgroll:" + url.substring("jdbc:".length()) + (url.contains("?") ? "&" : "?")
                + "pgrollVersion=" + encode(pinned) + "&pgrollSchema=" + encode(schema) + "&pgrollStateSchema="
                + encode(stateSchema);
    }

    private static boolean accessible(BeanWrapper bean, String property, Class<?> type) {
        return bean.isReadableProperty(property)
                && bean.isWritableProperty(property)
                && type.isAssignableFrom(bean.getPropertyType(property));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
