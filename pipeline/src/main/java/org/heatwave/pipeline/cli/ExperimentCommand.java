package org.heatwave.pipeline.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.heatwave.pipeline.io.AtomicFiles;
import org.heatwave.pipeline.io.Json;
import org.heatwave.pipeline.report.PhasePlanes;
import org.heatwave.stability.Seed004;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code heatwave experiment stability [--out DIR]}: the seeds' experiments that need no training. */
@Command(name = "experiment", mixinStandardHelpOptions = true, description = "The seeds' experiments.",
        subcommands = {ExperimentCommand.Stability.class})
final class ExperimentCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "stability", mixinStandardHelpOptions = true,
            description = "Seed 004's stability experiments: identical layers with K+, K-, K0 and antisymmetric versions"
                    + " (forward Euler, 21 layers) and the Verlet network (N = 20 ... 1000). Writes stability.json,"
                    + " euler.png and verlet.png.")
    static final class Stability implements Callable<Integer> {
        @Option(names = "--out", paramLabel = "DIR",
                description = "Output directory, any Hadoop FileSystem URI (default: runs/<time>-stability).")
        String out;

        @Override
        public Integer call() throws Exception {
            String dir = out != null ? out
                    : "runs/" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-stability";
            Path run = new Path(dir);
            FileSystem fs = run.getFileSystem(new Configuration());
            fs.mkdirs(run);
            List<Seed004.Run> euler = Seed004.euler();
            List<Seed004.Run> verlet = Seed004.verlet();

            ObjectNode json = Json.object();
            json.put("seed", "004").put("h", Seed004.H).put("activation", "tanh").put("bias", 0);
            ArrayNode e = json.putObject("euler").put("layers", Seed004.LAYERS).putArray("runs");
            PhasePlanes eulerPlot = new PhasePlanes();
            eulerPlot.add("features (input)", new double[][][] {euler.get(0).trajectory()[0]});
            for (Seed004.Run r : euler) {
                e.add(describe(r));
                eulerPlot.add(r.name() + ", layer " + Seed004.LAYERS, r.trajectory());
            }
            ArrayNode v = json.putObject("verlet").putArray("runs");
            PhasePlanes verletPlot = new PhasePlanes();
            for (Seed004.Run r : verlet) {
                v.add(describe(r).put("layers", r.trajectory().length - 1));
                verletPlot.add(r.name(), r.trajectory());
            }
            AtomicFiles.writeText(fs, new Path(run, "stability.json"), Json.PRETTY.writeValueAsString(json) + "\n");
            AtomicFiles.writeBytesAtomically(fs, new Path(run, "euler.png"), eulerPlot.png(3));
            AtomicFiles.writeBytesAtomically(fs, new Path(run, "verlet.png"), verletPlot.png(3));
            for (Seed004.Run r : euler) {
                System.out.printf(java.util.Locale.ROOT, "%-18s pairwise distances %s -> %s%n", r.name(),
                        fmt(r.distances(0)), fmt(r.distances(r.trajectory().length - 1)));
            }
            for (Seed004.Run r : verlet) {
                System.out.printf(java.util.Locale.ROOT, "%-18s feature norms within [%.3f, %.3f]%n", r.name(), r.minNorm(),
                        r.maxNorm());
            }
            System.out.println("written: " + run + "/{stability.json, euler.png, verlet.png}");
            return 0;
        }

        private static ObjectNode describe(Seed004.Run r) {
            ObjectNode o = Json.object().put("name", r.name());
            o.set("matrix", Json.MAPPER.valueToTree(r.matrix()));
            o.set("initial", Json.MAPPER.valueToTree(r.trajectory()[0]));
            o.set("final", Json.MAPPER.valueToTree(r.last()));
            o.set("distances_initial", Json.MAPPER.valueToTree(r.distances(0)));
            o.set("distances_final", Json.MAPPER.valueToTree(r.distances(r.trajectory().length - 1)));
            o.put("max_norm", r.maxNorm()).put("min_norm", r.minNorm());
            return o;
        }

        private static String fmt(double[] d) {
            return String.format(java.util.Locale.ROOT, "(%.3f, %.3f, %.3f)", d[0], d[1], d[2]);
        }
    }
}
