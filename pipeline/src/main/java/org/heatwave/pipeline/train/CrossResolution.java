package org.heatwave.pipeline.train;

import org.heatwave.pipeline.config.Keys;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.heatwave.loss.LossResult;
import org.heatwave.multilevel.NetworkTransfer;
import org.heatwave.pipeline.config.Settings;
import org.heatwave.pipeline.data.DatasetPyramid;
import org.heatwave.pipeline.data.DistributedDataset;
import org.heatwave.pipeline.distributed.DistributedObjective;
import org.heatwave.pipeline.io.Json;
import org.heatwave.pipeline.model.ModelSpec;

/**
 * Seed 003's cross-resolution experiment ("train on fine → classify coarse: 84.1 % vs. 94.9 % (no
 * restriction) (with restriction); train on coarse → classify fine"): a network trained on one level of the
 * pyramid, evaluated on the test images of the other, its kernels moved by {@link NetworkTransfer} —
 * unchanged, Galerkin, rediscretisation. A full classifier's {@code W} has to change size whatever the
 * kernels do and is always moved (restricted {@code 4RW}, prolonged {@code ¼PW}).
 */
public final class CrossResolution {

    /** One evaluation: a model trained on {@code trained} pixels evaluated on {@code evaluated} pixels. */
    public record Row(String trained, String evaluated, String kernels, double accuracy, double loss) {
    }

    private CrossResolution() {
    }

    /**
     * Trains on levels {@code fine} and {@code fine + 1} of {@code settings}' pyramid (into {@code outDir/level-k})
     * and evaluates each on both levels' test images with every kernel transfer.
     */
    public static List<Row> run(JavaSparkContext jsc, Settings settings, int fine, String outDir, PrintStream console)
            throws IOException {
        int coarse = fine + 1;
        DatasetPyramid.Info info = DatasetPyramid.info(settings.get(Keys.DATA_PYRAMID), jsc.hadoopConfiguration());
        int partitions = settings.partitions(jsc.defaultParallelism());
        Trainer.Result[] trained = new Trainer.Result[2];
        int[] levels = {fine, coarse};
        for (int i = 0; i < 2; i++) {
            console.printf("== training on level %d (%s)%n", levels[i], size(info, levels[i]));
            trained[i] = new Trainer(settings.with(List.of("data.level=" + levels[i])), console)
                    .run(jsc, new Path(outDir, "level-" + levels[i]).toString());
        }
        List<Row> rows = new ArrayList<>();
        DistributedDataset[] tests = new DistributedDataset[2];
        try {
            for (int e = 0; e < 2; e++) {
                tests[e] = DatasetPyramid.load(jsc, info, false, levels[e], settings.get(Keys.DATA_TEST_LIMIT),
                        settings.get(Keys.DATA_SHARDS), partitions);
            }
            for (int t = 0; t < 2; t++) {
                Trainer.Result r = trained[t];
                rows.add(row(jsc, r.params(), r.spec(), tests[t], info, levels, t, t, "-"));
                DistributedDataset other = tests[1 - t];
                ModelSpec to = r.spec().resized(other.height(), other.width());
                for (NetworkTransfer.Kernels how : NetworkTransfer.Kernels.values()) {
                    double[] moved = MultilevelTraining.move(r.spec(), r.params(), to, how);
                    rows.add(row(jsc, moved, to, other, info, levels, t, 1 - t, how.toString()));
                }
            }
        } finally {
            for (DistributedDataset d : tests) {
                if (d != null) {
                    d.close();
                }
            }
        }
        return rows;
    }

    private static Row row(JavaSparkContext jsc, double[] theta, ModelSpec spec,
                           DistributedDataset test, DatasetPyramid.Info info, int[] levels, int t, int e, String kernels) {
        LossResult l = new DistributedObjective(jsc, spec).evaluate(test, theta, "cross-resolution: trained on level "
                + levels[t] + ", evaluated on level " + levels[e] + " · kernels " + kernels);
        return new Row(size(info, levels[t]), size(info, levels[e]), kernels, l.accuracy(), l.meanLoss());
    }

    private static String size(DatasetPyramid.Info info, int level) {
        DatasetPyramid.Level l = info.level(level);
        return l.height() + "x" + l.width();
    }

    /** The rows as a Markdown table. */
    public static String table(List<Row> rows) {
        StringBuilder s = new StringBuilder("| trained on | evaluated on | kernels | test accuracy | test loss |\n"
                + "|---|---|---|---|---|\n");
        for (Row r : rows) {
            s.append(String.format(Locale.ROOT, "| %s | %s | %s | %.2f %% | %.4f |%n", r.trained(), r.evaluated(),
                    r.kernels(), 100 * r.accuracy(), r.loss()));
        }
        return s.toString();
    }

    /** The rows as JSON. */
    public static ObjectNode json(List<Row> rows, String dataset) {
        ObjectNode out = Json.object().put("dataset", dataset);
        ArrayNode a = out.putArray("rows");
        for (Row r : rows) {
            a.addObject().put("trained", r.trained()).put("evaluated", r.evaluated()).put("kernels", r.kernels())
                    .put("test_accuracy", r.accuracy()).put("test_loss", r.loss());
        }
        out.put("table", table(rows));
        return out;
    }
}
