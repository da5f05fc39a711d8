package io.pgroll.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

/** How each form of --postgres-url becomes a pgJDBC URL and credentials. */
class CliConnectionUrlTest {

    @Test
    void postgresUrlWithPercentEncodedCredentials() {
        var url = ConnectionUrl.parse("postgres://app%20user:p%40ss%3Aw+rd@db.example:6543/app?sslmode=require");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6543/app?sslmode=require");
        assertThat(url.user()).isEqualTo("app user");
        assertThat(url.password()).isEqualTo("p@ss:w+rd");
    }

    @Test
    void postgresqlUrlWithoutPortOrPassword() {
        var url = ConnectionUrl.parse("postgresql://me@db.example/app");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example/app");
        assertThat(url.user()).isEqualTo("me");
        assertThat(url.password()).isNull();
    }

    @Test
    void postgresUrlWithoutDatabaseOrHost() {
        assertThat(ConnectionUrl.parse("postgres://postgres:postgres@localhost?sslmode=disable")
                        .jdbcUrl())
                .isEqualTo("jdbc:postgresql://localhost/?sslmode=disable");
        assertThat(ConnectionUrl.parse("postgres:///app").jdbcUrl()).isEqualTo("jdbc:postgresql://localhost/app");
    }

    @Test
    void postgresUrlTranslatesLibpqParameters() {
        var url = ConnectionUrl.parse("postgres://h/app?connect_timeout=5&application_name=deploy&sslmode=verify-full");

        assertThat(url.jdbcUrl())
                .isEqualTo("jdbc:postgresql://h/app?connectTimeout=5&ApplicationName=deploy&sslmode=verify-full");
    }

    @Test
    void jdbcUrlPassesThroughWithItsCredentials() {
        var url = ConnectionUrl.parse("jdbc:postgresql://h:5433/app?user=me&password=secret&sslmode=disable");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://h:5433/app?user=me&password=secret&sslmode=disable");
        assertThat(url.user()).isNull();
        assertThat(url.password()).isNull();
    }

    @Test
    void libpqKeyValues() {
        var url = ConnectionUrl.parse(
                "host=db.example port=5433 dbname=app user=me password='it\\'s a \\\\ \\'secret\\'' sslmode=verify-ca");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:5433/app?sslmode=verify-ca");
        assertThat(url.user()).isEqualTo("me");
        assertThat(url.password()).isEqualTo("it's a \\ 'secret'");
    }

    @Test
    void libpqQuotedValueWithSpaces() {
        var url = ConnectionUrl.parse("host=h user=me password='two words' dbname=app");

        assertThat(url.password()).isEqualTo("two words");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://h/app");
    }

    @Test
    void libpqDatabaseDefaultsToTheUser() {
        assertThat(ConnectionUrl.parse("host=h user=me").jdbcUrl()).isEqualTo("jdbc:postgresql://h/me");
        assertThat(ConnectionUrl.parse("dbname=app").jdbcUrl()).isEqualTo("jdbc:postgresql://localhost/app");
    }

    @Test
    void libpqParametersAreTranslatedOrPassedOn() {
        var url = ConnectionUrl.parse(
                "host=h dbname=app connect_timeout=10 application_name='my app' options='-c statement_timeout=5s'");

        assertThat(url.jdbcUrl())
                .isEqualTo("jdbc:postgresql://h/app?connectTimeout=10&ApplicationName=my+app"
                        + "&options=-c+statement_timeout%3D5s");
    }

    @Test
    void whatALibpqUrlDemandsIsKeptUnderPgjdbcsNames() {
        var neon = ConnectionUrl.parse(
                "postgresql://me:pw@ep-x.neon.tech/app?sslmode=require&channel_binding=require&target_session_attrs=read-write");
        assertThat(neon.jdbcUrl())
                .isEqualTo("jdbc:postgresql://ep-x.neon.tech/app?sslmode=require&channelBinding=require"
                        + "&targetServerType=primary");
        assertThat(neon.warnings()).isEmpty();
        assertThat(ConnectionUrl.parse("host=h dbname=app gssencmode=require keepalives=0")
                        .jdbcUrl())
                .isEqualTo("jdbc:postgresql://h/app?gssEncMode=require&tcpKeepAlive=false");
        // pgJDBC's own names pass as they are
        assertThat(ConnectionUrl.parse("postgres://h/app?sslfactory=x.Factory").jdbcUrl())
                .isEqualTo("jdbc:postgresql://h/app?sslfactory=x.Factory");
    }

    @Test
    void aLibpqDemandPgjdbcCannotMeetIsRefusedAndTheRestWarned() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ConnectionUrl.parse("postgres://me:secret@h/app?require_auth=scram-sha-256"))
                .withMessageContaining("require_auth=scram-sha-256")
                .withMessageContaining("cannot guarantee")
                .withMessageNotContaining("secret");
        var url = ConnectionUrl.parse("postgres://h/app?keepalives_idle=30&sslmod=require");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://h/app");
        assertThat(url.warnings())
                .containsExactly(
                        "the connection parameter keepalives_idle has no equivalent in the JDBC driver and is ignored",
                        "the connection parameter sslmod is neither libpq's nor the JDBC driver's (a typo?) and is"
                                + " ignored");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ConnectionUrl.parse("host=h target_session_attrs=writable"))
                .withMessageContaining("target_session_attrs=writable");
    }

    @Test
    void neitherAUrlNorKeyValues() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ConnectionUrl.parse("localhost:5432/app"))
                .withMessageContaining("--postgres-url \"localhost:5432/app\"")
                .withMessageContaining("host=localhost");
    }

    @Test
    void malformedKeyValue() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ConnectionUrl.parse("host=h =x"))
                .withMessageContaining("\"=x\" is not a key=value pair");
    }

    @Test
    void redactHidesPasswords() {
        assertThat(ConnectionUrl.redact("postgres://me:secret@h/app")).isEqualTo("postgres://me:***@h/app");
        assertThat(ConnectionUrl.redact("jdbc:postgresql://h/app?user=me&password=secret&ssl=true"))
                .isEqualTo("jdbc:postgresql://h/app?user=me&password=***&ssl=true");
        assertThat(ConnectionUrl.redact("host=h password='a b' user=me")).doesNotContain("a b");
    }
}
