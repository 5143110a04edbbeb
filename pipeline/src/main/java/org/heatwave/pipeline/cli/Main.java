package org.heatwave.pipeline.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The heatwave command line: {@code train}, {@code evaluate}, {@code predict}, {@code data}, {@code experiment}, {@code settings},
 * {@code retrain}, {@code registry}, {@code check}. The same main class runs
 * under {@code bin/heatwave} (Spark local mode) and {@code spark-submit --class org.heatwave.pipeline.cli.Main}.
 * Failures exit with the {@link ExitCodes} of {@code sysexits.h}.
 */
@Command(name = "heatwave", mixinStandardHelpOptions = true, version = "heatwave 0.1.0",
        description = "Train PDE-motivated convolutional neural networks data-parallel on Apache Spark.",
        subcommands = {TrainCommand.class, EvaluateCommand.class, DataCommand.class, ExperimentCommand.class,
                SettingsCommand.class, PredictCommand.class, RetrainCommand.class, RegistryCommand.class, CheckCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Runs the command line and returns the exit code. */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            err.println("heatwave: error: " + describe(ex));
            if (System.getenv("HEATWAVE_DEBUG") != null) {
                ex.printStackTrace(err);
            }
            err.flush();
            return ExitCodes.of(ex);
        });
        cl.setParameterExceptionHandler((ex, args2) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("heatwave: " + ex.getMessage());
            ex.getCommandLine().usage(err);
            err.flush();
            return ExitCodes.USAGE;
        });
        return cl.execute(args);
    }

    /** A usage error (exit 64) unless {@code name} is a dataset heatwave knows. */
    static void requireDataset(CommandLine.Model.CommandSpec spec, String name, String option) {
        if (!org.heatwave.pipeline.data.DatasetFiles.NAMES.contains(name)) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + ": unknown dataset '" + name + "'; available: "
                    + String.join(", ", org.heatwave.pipeline.data.DatasetFiles.NAMES));
        }
    }

    /** The message of the root cause chain, without Spark's task wrapping noise. */
    static String describe(Throwable ex) {
        Throwable t = ex;
        while (t.getCause() != null && t.getCause() != t && (t.getMessage() == null || t instanceof java.io.UncheckedIOException
                || t.getClass().getName().startsWith("org.apache.spark"))) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }
}
