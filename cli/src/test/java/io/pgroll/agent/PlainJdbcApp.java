package io.pgroll.agent;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * An application that knows nothing of pgroll: plain {@code jdbc:postgresql:} through {@link
 * DriverManager} and through pgJDBC's data source. {@link AgentIT} runs it in a JVM of its own, with and
 * without the agent, and reads what it prints.
 */
public final class PlainJdbcApp {
    private PlainJdbcApp() {}

    public static void main(String[] args) {
        String url = args[0];
        String user = args[1];
        String password = args[2];
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            System.out.println("driverManager search_path=" + searchPath(c));
            System.out.println("driverManager pgconnection="
                    + (c.unwrap(PGConnection.class).getBackendPID() > 0));
        } catch (SQLException e) {
            System.out.println("driverManager failed " + e.getSQLState() + ": " + e.getMessage());
        }
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(url);
        ds.setUser(user);
        ds.setPassword(password);
        try (Connection c = ds.getConnection()) {
            System.out.println("dataSource search_path=" + searchPath(c));
        } catch (SQLException e) {
            System.out.println("dataSource failed " + e.getSQLState() + ": " + e.getMessage());
        }
    }

    private static String searchPath(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW search_path")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
