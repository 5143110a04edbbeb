package org.heatwave.pipeline.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.heatwave.pipeline.io.Json;
import org.heatwave.pipeline.registry.Decision;
import org.heatwave.pipeline.registry.ModelRegistry;
import org.heatwave.pipeline.registry.ModelVersion;
import org.heatwave.pipeline.registry.RegistryLock;
import org.heatwave.pipeline.train.SparkContexts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code heatwave registry list|show|promote|rollback --registry URI}: reading a {@link ModelRegistry} and the
 * operator's two actions on it. Promote and rollback take the registry's lock (held by a retraining: exit 75) and
 * print the decision they write as one JSON line.
 */
@Command(name = "registry", mixinStandardHelpOptions = true, description = "Inspect a model registry; promote or roll back.",
        subcommands = {RegistryCommand.List.class, RegistryCommand.Show.class, RegistryCommand.Promote.class,
                RegistryCommand.Rollback.class})
final class RegistryCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /** The registry option every subcommand takes. */
    static class RegistryOption {
        @Option(names = "--registry", required = true, paramLabel = "URI", description = "The model registry (any Hadoop FileSystem URI).")
        String uri;

        ModelRegistry open() throws java.io.IOException {
            return ModelRegistry.open(uri, SparkContexts.hadoopConfiguration());
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The versions (the champion marked) and the decisions.")
    static final class List implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        RegistryOption registry;

        @Option(names = "--json", description = "One JSON object: registry, champion, versions, decisions.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            ModelRegistry r = registry.open();
            if (json) {
                System.out.println(Json.MAPPER.writeValueAsString(r.json()));
                return ExitCodes.OK;
            }
            Integer champion = r.champion().orElse(null);
            System.out.println(r.uri() + ": champion " + (champion == null ? "none" : "v" + champion));
            System.out.printf(Locale.ROOT, "%n  %-8s %-24s %-10s %9s %8s %9s  %s%n", "version", "created", "start",
                    "accuracy", "images", "train s", "data");
            for (ModelVersion v : r.versions()) {
                System.out.printf(Locale.ROOT, "%s %-8s %-24s %-10s %8.2f%% %8d %9.1f  %d part(s), snapshot %s%n",
                        v.version() == (champion == null ? -1 : champion) ? "*" : " ", v.name(),
                        v.created().replaceFirst("\\.\\d+Z$", "Z"), v.parent() == null ? "cold" : "warm v" + v.parent(),
                        100 * v.accuracy(), v.trainingData().count(), v.trainSeconds(), v.parts().size(),
                        v.snapshot().substring(0, 12));
            }
            System.out.printf(Locale.ROOT, "%n  %-8s %-24s %-10s %-9s %-10s  %s%n", "decision", "time", "decision",
                    "champion", "challenger", "report");
            for (Decision d : r.decisions()) {
                System.out.printf(Locale.ROOT, "  %-8d %-24s %-10s %-9s %-10s  %s%n", d.number(),
                        d.time().replaceFirst("\\.\\d+Z$", "Z"), d.decision(), d.champion() == null ? "-" : "v" + d.champion(),
                        d.challenger() == null ? "-" : "v" + d.challenger(), d.report() == null ? "" : d.report());
            }
            var holder = r.lockHolder();
            if (holder.isPresent()) {
                System.out.println("\nlocked by " + holder.get());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "A version's lineage as JSON: data snapshot, configuration, code, parent, metrics.")
    static final class Show implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        RegistryOption registry;

        @Parameters(paramLabel = "VERSION", defaultValue = "champion", description = "A version number, or champion (default).")
        String version;

        @Override
        public Integer call() throws Exception {
            ModelRegistry r = registry.open();
            int n;
            if (version.equals("champion")) {
                n = r.champion().orElseThrow(() -> new java.io.FileNotFoundException(r.uri() + " has no champion yet"));
            } else {
                n = Integer.parseInt(version.replaceFirst("^v", ""));
            }
            var lineage = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.valueToTree(r.version(n));
            lineage.put("model", r.modelDirectory(n));
            lineage.put("champion", r.champion().map(c -> c == n).orElse(false));
            System.out.println(Json.PRETTY.writeValueAsString(lineage));
            return ExitCodes.OK;
        }
    }

    /** An operator's decision on the registry. */
    @FunctionalInterface
    interface Action {
        Decision decide(ModelRegistry registry, RegistryLock lock, String by) throws java.io.IOException;
    }

    /**
     * Runs {@code action} under the registry's lock (a live retraining holding it makes the action fail with 75) and
     * prints the decision it wrote as one JSON line.
     */
    static int decide(RegistryOption registry, String name, Action action) throws java.io.IOException {
        ModelRegistry r = registry.open();
        try (RegistryLock lock = r.lock("heatwave registry " + name + " (" + System.getProperty("user.name", "unknown")
                + ")", 10.0, System.out)) {
            Decision d = action.decide(r, lock, lock.holder().command());
            System.out.println(Json.MAPPER.writeValueAsString(d.summary()));
        }
        return ExitCodes.OK;
    }

    @Command(name = "promote", mixinStandardHelpOptions = true, description = "Make version N the champion.")
    static final class Promote implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        RegistryOption registry;

        @Parameters(paramLabel = "N", description = "The version to promote.")
        int version;

        @Override
        public Integer call() throws Exception {
            return decide(registry, "promote", (r, lock, by) -> r.promote(lock, version, by));
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Make the previous champion (or --to N) the champion again.")
    static final class Rollback implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        RegistryOption registry;

        @Option(names = "--to", paramLabel = "N", description = "The version to go back to (default: the champion before the current one).")
        Integer to;

        @Override
        public Integer call() throws Exception {
            return decide(registry, "rollback", (r, lock, by) -> r.rollback(lock, to, by));
        }
    }
}
