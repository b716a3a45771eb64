package org.mlops4j.cli;

import org.mlops4j.core.MlopsException;
import org.mlops4j.core.tracking.RunEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * Entry point of {@code mlops}: {@code java -jar mlops-cli/target/mlops.jar <command>}. Errors print one
 * line naming what is wrong (exit 1); usage errors print the usage (exit 2).
 */
@Command(name = "mlops", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "mlops4j from the command line: an MLflow-compatible tracking server and a look into tracking stores.",
        subcommands = {ServerCommand.class, ExperimentsCommand.class, RunsCommand.class, StudyCommand.class, ModelsCommand.class,
                ServeCommand.class})
public final class Main {

    /** Prints the library version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"mlops " + RunEnvironment.libraryVersion() + " (Java " + Runtime.version() + ")"};
        }
    }

    /**
     * @return the command line, ready to execute (tests capture its output)
     */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof MlopsException || e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
                cmd.getErr().println("mlops: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        return cl;
    }

    /**
     * @param args command and options
     */
    public static void main(String[] args) {
        int code = commandLine().execute(args);
        if (code != 0 || !isServer(args)) {
            System.exit(code);
        }
    }

    private static boolean isServer(String[] args) {
        for (String a : args) {
            if (a.equals("server") || a.equals("serve")) {
                return true;
            }
        }
        return false;
    }
}
