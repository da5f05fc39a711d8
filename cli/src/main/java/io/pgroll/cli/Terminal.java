package io.pgroll.cli;

import java.io.Console;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Optional;

/** Whether the CLI talks to a person: the commands that ask (baseline, create) ask only then. */
final class Terminal {
    private Terminal() {}

    /**
     * The console, when standard input and output are a terminal. Before JDK 22 a console exists only
     * then; from 22 on one always exists, and {@code isTerminal()} (absent before 22) tells.
     */
    @SuppressWarnings("SystemConsoleNull") // handled: isTerminal() is asked where it exists
    static Optional<Console> interactive() {
        Console console = System.console();
        if (console == null) {
            return Optional.empty();
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return Boolean.TRUE.equals(isTerminal.invoke(console)) ? Optional.of(console) : Optional.empty();
        } catch (NoSuchMethodException e) {
            return Optional.of(console);
        } catch (IllegalAccessException | InvocationTargetException e) {
            return Optional.empty();
        }
    }
}
