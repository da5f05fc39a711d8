package io.pgroll.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;

/** {@code completion}: the shell completion script of every command and flag. */
@Command(
        name = "completion",
        description = "Print the bash completion script (zsh too, after `autoload -U +X bashcompinit &&"
                + " bashcompinit`): `source <(pgroll completion)`, or save it in /etc/bash_completion.d/pgroll")
final class CompletionCommand extends EngineCommand {
    @Override
    void run() {
        root().out().print(AutoComplete.bash("pgroll", spec.root().commandLine()));
    }
}
