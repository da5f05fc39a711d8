package io.pgroll.agent;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.Properties;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code org.postgresql.Driver.connect(String, Properties)}: when the bridge returns a
 * pinned connection, pgJDBC's own body is skipped and that connection is returned instead. Public, as
 * the inlined code runs in pgJDBC's class and calls into {@link AgentBridge} from there.
 */
public final class ConnectAdvice {
    private ConnectAdvice() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    public static Connection enter(
            @Advice.This Driver self, @Advice.Argument(0) String url, @Advice.Argument(1) Properties info)
            throws SQLException {
        return AgentBridge.connect(self, url, info);
    }

    @Advice.OnMethodExit
    public static void exit(@Advice.Enter Connection pinned, @Advice.Return(readOnly = false) Connection returned) {
        if (pinned != null) {
            returned = pinned;
        }
    }
}
