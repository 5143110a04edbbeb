package org.heatwave.pipeline.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.heatwave.linalg.Vectors;
import org.heatwave.net.ClassificationObjective;
import org.heatwave.net.Network;
import org.heatwave.opt.Evaluation;
import org.heatwave.pipeline.TinyDataset;
import org.heatwave.pipeline.data.DatasetFiles;
import org.heatwave.pipeline.data.DistributedDataset;
import org.heatwave.pipeline.data.ImageBlock;
import org.heatwave.pipeline.model.ModelSpec;
import org.heatwave.pipeline.train.SparkContexts;
import org.heatwave.reg.Regularizer;
import org.heatwave.reg.Tikhonov;
import org.heatwave.tensor.FeatureMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark objective equals the local one on the same sample — value, gradient and Gauss–Newton product
 * (relative 1e-5) — its Gauss–Newton operator is symmetric positive semi-definite, the collected features and
 * labels equal the local ones, and every job is described by the optimiser's phase.
 */
class SparkObjectiveTest {

    @Test
    void distributedObjectiveGaussNewtonAndFeaturesEqualTheLocalOnes(@TempDir Path tmp) throws IOException {
        Path data = TinyDataset.write(tmp, 96, 16, 8, 5);
        ModelSpec spec = new ModelSpec(8, 8, 1, new int[] {4, 8}, 2, 0.5, "tanh", 10);
        Network net = spec.network();
        double[] theta = net.init(3);
        List<Regularizer> regs = List.of(new Tikhonov(1e-3, net.weightDecayMask()));
        int[] sample = {5, 90, 17, 33, 34, 61, 2, 77, 48, 12, 70, 71};
        try (JavaSparkContext jsc = SparkContexts.create("test", "local[2]")) {
            DatasetFiles files = DatasetFiles.idx(data.toString(), true, jsc.hadoopConfiguration());
            DatasetFiles.Content c = files.read(jsc.hadoopConfiguration());
            ImageBlock all = DatasetFiles.block(c, 0, c.count());
            ClassificationObjective local = new ClassificationObjective(net, all.slice(0, all.count()), all.labels(), regs, 5);
            try (DistributedDataset ds = DistributedDataset.load(jsc, files, 0, 3, 3, "load")) {
                DistributedObjective jobs = new DistributedObjective(jsc, spec);
                SparkObjective spark = new SparkObjective(jobs, ds, net, regs);
                spark.phase("iter 7 · CG 2/10");
                Evaluation d = spark.on(sample).evaluate(theta);
                assertEquals("iter 7 · CG 2/10", jsc.getLocalProperty("spark.job.description"), "jobs carry the phase");
                Evaluation l = local.on(sample).evaluate(theta);
                assertEquals(l.value(), d.value(), 1e-6 * l.value());
                assertEquals(l.value(), spark.on(sample).value(theta), 1e-6 * l.value());
                assertClose(l.gradient(), d.gradient(), "gradient");
                assertEquals(l.diagnostics().get("accuracy"), d.diagnostics().get("accuracy"));

                double[] u = org.heatwave.testkit.Fixtures.normal(theta.length, 1, 7);
                double[] v = org.heatwave.testkit.Fixtures.normal(theta.length, 1, 8);
                double[] gvLocal = new double[theta.length], gv = new double[theta.length], gu = new double[theta.length];
                l.gaussNewton().apply(v, gvLocal);
                d.gaussNewton().apply(v, gv);
                d.gaussNewton().apply(u, gu);
                assertClose(gvLocal, gv, "Gauss-Newton product");
                assertEquals(Vectors.dot(u, gv), Vectors.dot(v, gu), 1e-5 * Math.abs(Vectors.dot(u, gv)), "symmetric");
                assertTrue(Vectors.dot(v, gv) >= 0, "positive semi-definite");

                // the operator alone (subsampled curvature): the same products, one job each and no gradient job
                double[] alone = new double[theta.length], aloneLocal = new double[theta.length];
                jsc.setJobGroup("operator-alone", "Gauss-Newton operator without a gradient", false);
                spark.on(sample).gaussNewton(theta).apply(v, alone);
                assertEquals(1, jsc.statusTracker().getJobIdsForGroup("operator-alone").length, "one job: the product");
                jsc.clearJobGroup();
                org.junit.jupiter.api.Assertions.assertArrayEquals(gv, alone, "the same product");
                local.on(sample).gaussNewton(theta).apply(v, aloneLocal);
                org.junit.jupiter.api.Assertions.assertArrayEquals(gvLocal, aloneLocal, "the same local product");

                // augmented (shifts, mirror images, smoothed targets): the same transforms as the local objective's, by
                // global example index, whatever partition holds the example
                org.heatwave.augment.Augmentation aug = new org.heatwave.augment.Augmentation(2, true,
                        org.heatwave.conv.Boundary.PERIODIC, 0.1, 5);
                SparkObjective sparkAug = new SparkObjective(jobs, ds, net, regs, aug);
                ClassificationObjective localAug = new ClassificationObjective(net, all.slice(0, all.count()), all.labels(), regs, 5, aug);
                Evaluation da = sparkAug.on(sample, 3).evaluate(theta), la = localAug.on(sample, 3).evaluate(theta);
                assertEquals(la.value(), da.value(), 1e-6 * la.value(), "augmented value");
                assertEquals(la.value(), sparkAug.on(sample, 3).value(theta), 1e-6 * la.value(), "augmented line-search value");
                assertClose(la.gradient(), da.gradient(), "augmented gradient");
                double[] gvAug = new double[theta.length], gvAugLocal = new double[theta.length];
                da.gaussNewton().apply(v, gvAug);
                la.gaussNewton().apply(v, gvAugLocal);
                assertClose(gvAugLocal, gvAug, "augmented Gauss-Newton product");
                assertTrue(Math.abs(da.value() - d.value()) > 1e-4 * d.value(), "augmentation changes the objective");
                assertEquals(localAug.on(sample).value(theta), sparkAug.on(sample).value(theta), 1e-6 * la.value(),
                        "without a pass: smoothed targets, images as they are");

                // the classifier problem's sums: collected to the driver, left on the executors, and local agree
                int[] sorted = sample.clone();
                java.util.Arrays.sort(sorted);
                FeatureMap features = net.features().bind(theta, 0).forward(all.gather(sorted, 0, sorted.length).toFeatureMap()).output();
                org.heatwave.net.ClassifierData expected = org.heatwave.net.ClassifierData.local(net.classifier(), features,
                        all.gatherLabels(sorted, 0, sorted.length));
                double[] w = java.util.Arrays.copyOfRange(theta, net.classifierOffset(), theta.length);
                double[] dw = org.heatwave.testkit.Fixtures.normal(w.length, 1, 9);
                for (SparkObjective.ClassifierSolveAt where : SparkObjective.ClassifierSolveAt.values()) {
                    org.heatwave.net.ClassifierData got = spark.features(where).of(theta, sorted);
                    assertEquals(expected.count(), got.count());
                    double[] ge = new double[w.length], gg = new double[w.length], he = new double[w.length], hg = new double[w.length];
                    org.heatwave.loss.LossResult le = expected.lossAndGradient(w, ge), lg = got.lossAndGradient(w, gg);
                    assertEquals(le.loss(), lg.loss(), 1e-6 * le.loss(), where.name());
                    assertEquals(le.correct(), lg.correct(), where.name());
                    assertClose(ge, gg, where + " classifier gradient");
                    expected.hessianProduct(w, dw, he);
                    got.hessianProduct(w, dw, hg);
                    assertClose(he, hg, where + " classifier Hessian product");
                }
                // with label smoothing (sparkAug: 0.1) the classifier problem is the smoothed cross-entropy, as the
                // full objective's
                org.heatwave.net.ClassifierData smoothed = org.heatwave.net.ClassifierData.local(net.classifier(), features,
                        all.gatherLabels(sorted, 0, sorted.length), 0.1);
                double[] gs = new double[w.length];
                org.heatwave.loss.LossResult ls = smoothed.lossAndGradient(w, gs);
                for (SparkObjective.ClassifierSolveAt where : SparkObjective.ClassifierSolveAt.values()) {
                    double[] gg = new double[w.length];
                    org.heatwave.loss.LossResult lg = sparkAug.features(where).of(theta, sorted).lossAndGradient(w, gg);
                    assertEquals(ls.loss(), lg.loss(), 1e-6 * ls.loss(), where + " smoothed");
                    assertClose(gs, gg, where + " smoothed classifier gradient");
                }
                assertTrue(Math.abs(ls.loss() - expected.lossAndGradient(w, new double[w.length]).loss()) > 1e-4 * ls.loss(),
                        "smoothing changes the classifier's loss");
            }
        }
    }

    private static void assertClose(double[] expected, double[] actual, String what) {
        double err = Vectors.norm(Vectors.minus(expected, actual)) / Vectors.norm(expected);
        assertTrue(err < 1e-5, what + " differs from the local one by " + err);
    }
}
