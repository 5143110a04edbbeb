package org.heatwave.pipeline.train;

import org.heatwave.pipeline.config.Keys;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.heatwave.loss.LossResult;
import org.heatwave.multilevel.NetworkTransfer;
import org.heatwave.net.Network;
import org.heatwave.pipeline.config.Settings;
import org.heatwave.pipeline.data.DatasetPyramid;
import org.heatwave.pipeline.distributed.DistributedObjective;
import org.heatwave.pipeline.io.AtomicFiles;
import org.heatwave.pipeline.io.Json;
import org.heatwave.pipeline.io.MetricsFile;
import org.heatwave.pipeline.model.ModelSpec;
import org.heatwave.pipeline.report.LevelCurves;

/**
 * Multilevel (coarse-to-fine) training, seeds 002 and 003:
 *
 * <pre>
 *   restrict the images n times; θ⁰, W⁰, μ⁰ ← random initialisation
 *   for j = 1 … n: optimise with the data on level k_j starting from θ^{j−1}, W^{j−1}, μ^{j−1}
 *                  θ^j ← prolongate θ*,  W^j ← prolongate W*
 * </pre>
 *
 * The levels come from the dataset pyramid ({@code data.pyramid}, {@code multilevel.levels}, coarsest first),
 * each trained as an ordinary run ({@link Trainer}) with its own budget ({@code multilevel.epochs}) into
 * {@code RUN/level-k/}; between levels {@link NetworkTransfer} moves θ ({@code multilevel.kernels}) and, with
 * {@code multilevel.refine-depth}, refines every block in depth (twice the steps of half the size). The
 * objective's jump at each change is measured: the test loss and accuracy of the moved network on the new
 * level before it trains there, against the last level's final ones. Writes {@code RUN/multilevel.json}
 * (per level: size, budget, seconds, accuracy, the jump), {@code RUN/summary.json} and
 * {@code RUN/multilevel.png} (test accuracy against wall time, one colour per level).
 */
public final class MultilevelTraining {
    private final Settings settings;
    private final PrintStream console;

    /** One level's outcome. */
    public record Level(int level, int height, int width, int epochs, double startSeconds, double endSeconds,
                        Trainer.Result result, LossResult moved, String runDir, List<JsonNode> metrics) {
        /** When this level's training began (after its data was loaded and the network moved), in schedule seconds. */
        public double trainingStartSeconds() {
            return endSeconds - result.summary().get("wall_seconds").asDouble();
        }

        /** The moved network's test accuracy before training on this level; NaN on the first level. */
        public double movedAccuracy() {
            return moved == null ? Double.NaN : moved.accuracy();
        }
    }

    /** The whole schedule's outcome: the levels in order, the final model's parameters and network. */
    public record Result(List<Level> levels, double[] params, ModelSpec spec, double wallSeconds, ObjectNode summary) {
    }

    public MultilevelTraining(Settings settings, PrintStream console) {
        this.settings = settings;
        this.console = console;
    }

    /**
     * Checks the schedule before anything trains: every level exists in the pyramid and the configured network
     * builds for its image size (e.g. two 2×2 poolings need sizes divisible by 4).
     *
     * @throws IllegalArgumentException naming the level, its size and the reason
     */
    public void validate(JavaSparkContext jsc) throws IOException {
        int[] levels = settings.ints(Keys.MULTILEVEL_LEVELS);
        if (levels.length == 0) {
            throw new IllegalArgumentException("multilevel.levels is empty: nothing to schedule");
        }
        DatasetPyramid.Info info = DatasetPyramid.info(settings.get(Keys.DATA_PYRAMID), jsc.hadoopConfiguration());
        Trainer trainer = new Trainer(settings, console);
        for (int level : levels) {
            DatasetPyramid.Level size = info.level(level);
            try {
                trainer.spec(1, size.height(), size.width(), info.numClasses()).network();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("level " + level + " (" + size.height() + "x" + size.width()
                        + ") cannot take the configured network: " + e.getMessage(), e);
            }
        }
    }

    /** Runs the schedule in {@code jsc}, writing into the new directory {@code runDir}. */
    public Result run(JavaSparkContext jsc, String runDir) throws IOException {
        validate(jsc);
        RunDirectory dir = RunDirectory.create(runDir, jsc.hadoopConfiguration());
        dir.writeConfig(settings.render());
        return schedule(jsc, dir);
    }

    /**
     * Continues the unfinished schedule in {@code runDir} (whose {@code config.conf} these settings come from):
     * finished levels are read back, the level that was training continues from its newest checkpoint, the rest
     * train — the same models, bit for bit, as a schedule that never stopped. A finished schedule is left as it is
     * (null is returned).
     */
    public Result resume(JavaSparkContext jsc, String runDir) throws IOException {
        RunDirectory dir = RunDirectory.open(runDir, jsc.hadoopConfiguration());
        if (dir.finished()) {
            console.println(runDir + " is a finished multilevel run: nothing to do");
            return null;
        }
        validate(jsc);
        dir.removeStaleTemporaries();
        return schedule(jsc, dir);
    }

    private Result schedule(JavaSparkContext jsc, RunDirectory dir) throws IOException {
        int[] levels = settings.ints(Keys.MULTILEVEL_LEVELS);
        int[] epochs = settings.ints(Keys.MULTILEVEL_EPOCHS);
        NetworkTransfer.Kernels how = settings.get(Keys.MULTILEVEL_KERNELS);
        Path run = dir.path();
        FileSystem fs = dir.fs();
        long t0 = System.nanoTime();
        List<Level> done = new ArrayList<>();
        double[] theta = null;
        ModelSpec spec = null;
        for (int i = 0; i < levels.length; i++) {
            List<String> overrides = new ArrayList<>(List.of("data.level=" + levels[i], "train.epochs=" + epochs[i]));
            if (settings.get(Keys.MULTILEVEL_REFINE_DEPTH)) {
                // seed 002: refine in depth at every change as well: 2^i times the steps of 2^-i the size
                overrides.add("model.steps=" + (settings.get(Keys.STEPS) << i));
                overrides.add("model.step-size=" + settings.get(Keys.STEP_SIZE) / (1 << i));
            }
            Settings level = settings.with(overrides);
            Trainer trainer = new Trainer(level, console);
            double start = seconds(t0);
            try (Trainer.Splits data = trainer.load(jsc, levels[i])) {
                ModelSpec next = trainer.spec(data.train());
                LossResult moved = null;
                if (theta != null) {
                    ModelSpec sameDepth = spec.resized(next.height(), next.width());
                    theta = move(spec, theta, sameDepth, how);
                    if (!sameDepth.equals(next)) {
                        theta = NetworkTransfer.refineInDepth(sameDepth.network(), theta, next.network());
                    }
                    jsc.setJobDescription("level " + levels[i] + " · the moved network's test evaluation");
                    moved = new DistributedObjective(jsc, next).evaluate(data.test(), theta, "level " + levels[i] + " · moved network");
                    Level last = done.get(done.size() - 1);
                    console.printf(Locale.ROOT, "level %d -> %d (%s kernels%s): test loss %.4f -> %.4f, accuracy %.2f%% -> %.2f%%%n",
                            last.level(), levels[i], how, sameDepth.equals(next) ? ""
                                    : ", nt " + sameDepth.steps() + " -> " + next.steps(), last.result().summary().get("test_loss").asDouble(),
                            moved.meanLoss(), 100 * last.result().summary().get("test_accuracy").asDouble(), 100 * moved.accuracy());
                }
                console.printf("== level %d (%dx%d), %d %s%n", levels[i], data.train().height(), data.train().width(), epochs[i],
                        List.of("sgd", "adam").contains(settings.get(Keys.OPTIMIZER)) ? "epochs" : "data passes");
                String levelDir = new Path(run, "level-" + levels[i]).toString();
                Trainer.Result r = trainer.resume(jsc, data, levelDir, theta);
                theta = r.params();
                spec = r.spec();
                done.add(new Level(levels[i], data.train().height(), data.train().width(), epochs[i], start, seconds(t0), r,
                        moved, levelDir, MetricsFile.read(fs, new Path(levelDir, "metrics.jsonl"))));
            }
        }
        double wall = seconds(t0);
        Level last = done.get(done.size() - 1);
        ObjectNode summary = summary(done, how, wall);
        AtomicFiles.writeText(fs, new Path(run, "multilevel.json"), Json.PRETTY.writeValueAsString(summary) + "\n");
        AtomicFiles.writeText(fs, new Path(run, "summary.json"), Json.PRETTY.writeValueAsString(summary) + "\n");
        LevelCurves curves = new LevelCurves();
        addCurves(curves, "", done);
        AtomicFiles.writeBytesAtomically(fs, new Path(run, "multilevel.png"), curves.png("multilevel "
                + java.util.Arrays.toString(levels) + " · " + how + " kernels"));
        dir.markFinished();
        console.printf(Locale.ROOT, "multilevel done · test accuracy %.2f%% · %.1f s · model %s/model%n",
                100 * last.result().summary().get("test_accuracy").asDouble(), wall, last.runDir());
        return new Result(done, theta, spec, wall, summary);
    }

    /** θ of {@code from} moved to {@code to}, one factor of two at a time. */
    static double[] move(ModelSpec from, double[] theta, ModelSpec to, NetworkTransfer.Kernels how) {
        Network a = from.network();
        int h = from.height(), w = from.width();
        while (h != to.height() || w != to.width()) {
            int nh = to.height() > h ? 2 * h : h / 2, nw = to.width() > w ? 2 * w : w / 2;
            if (nh == h || nw == w || (to.height() > h) != (to.width() > w)) {
                throw new IllegalArgumentException("cannot move a network for " + from.height() + "x" + from.width()
                        + " images to " + to.height() + "x" + to.width() + " by factors of 2");
            }
            ModelSpec step = nh == to.height() && nw == to.width() ? to : from.resized(nh, nw);
            Network b = step.network();
            theta = NetworkTransfer.transfer(a, theta, b, how);
            a = b;
            h = nh;
            w = nw;
        }
        return theta;
    }

    private static ObjectNode summary(List<Level> done, NetworkTransfer.Kernels how, double wall) {
        Level last = done.get(done.size() - 1);
        JsonNode s = last.result().summary();
        ObjectNode out = Json.object();
        out.put("test_accuracy", s.get("test_accuracy").asDouble()).put("test_loss", s.get("test_loss").asDouble())
                .put("wall_seconds", wall).put("kernels", how.toString()).put("model", last.runDir() + "/model");
        ArrayNode levels = out.putArray("levels");
        for (Level l : done) {
            ObjectNode o = levels.addObject().put("level", l.level()).put("height", l.height()).put("width", l.width())
                    .put("epochs", l.epochs()).put("start_seconds", l.startSeconds()).put("end_seconds", l.endSeconds())
                    .put("train_seconds", l.result().summary().get("train_seconds").asDouble())
                    .put("test_accuracy", l.result().summary().get("test_accuracy").asDouble())
                    .put("test_loss", l.result().summary().get("test_loss").asDouble()).put("run", l.runDir());
            if (l.moved() != null) {
                o.putObject("moved").put("test_loss", l.moved().meanLoss()).put("test_accuracy", l.moved().accuracy());
            }
        }
        return out;
    }

    /**
     * Adds a series per level to {@code curves} ({@code prefix + "level ℓ (h x w)"}): its test evaluations placed
     * at the schedule time its training began, starting from the moved network's accuracy.
     */
    public static void addCurves(LevelCurves curves, String prefix, List<Level> levels) {
        for (Level l : levels) {
            curves.add(prefix + "level " + l.level() + " (" + l.height() + "x" + l.width() + ")", l.trainingStartSeconds(),
                    l.metrics(), l.movedAccuracy());
        }
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
