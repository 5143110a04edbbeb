package org.heatwave.pipeline.distributed;

import java.io.Serializable;
import java.util.List;
import java.util.UUID;
import org.apache.spark.Partition;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.RDD;
import org.heatwave.pipeline.io.SameJvmHandoff;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;

/**
 * One Spark job that reduces every partition of an RDD to a {@link GradientAggregator} and sums them: the shape of every
 * distributed evaluation of an optimiser step (loss and gradient, loss, Gauss–Newton product, the classifier sums of
 * variable projection).
 *
 * <p>The job is built without Scala closures: the partition function runs in an RDD of a named class and the job's
 * function is a named class too. Spark's {@code ClosureCleaner} reads and parses (ASM) the bytecode of the class that
 * declared each closure it cleans — {@code RDD}, {@code SparkContext}, {@code JavaRDDLike} — for every
 * {@code mapPartitions} and every action: 8–10 ms of the driver's time per job on the project's 2-vCPU machine, a
 * twelfth of a training step (BENCHMARKS.md, issue 18). The partition function itself is serialised with the job as
 * Spark would serialise it; nothing else changes.
 *
 * <p>In local mode, when every partition has a task slot, the evaluation is a round of {@link ResidentTasks} instead: a
 * job's tasks stay and serve one evaluation after another, which saves the job's scheduling. Otherwise:
 *
 * <p>How the partial sums reach the driver: in local mode the tasks run in the driver's JVM and each leaves its
 * aggregator by reference ({@link SameJvmHandoff}, under the job's key and its partition, where a retried task puts the
 * same bits) and returns only its partition's number — no partial sum is serialised. Elsewhere, up to
 * {@value #DRIVER_FAN_IN} partitions, the driver collects them and merges; with more, they are summed on the
 * executors as a tree ({@code treeAggregate}, depth 2, MLlib's choice) whose last combination also runs on an executor,
 * so the driver receives one aggregator however many executors there are. Exact sums make the grouping and order
 * irrelevant to the result.
 */
final class PartitionSums {
    /** Partial results the driver may receive from one job; more partitions are combined on an executor. */
    static final int DRIVER_FAN_IN = 4;

    private PartitionSums() {
    }

    /** A partition's contribution: its index and its elements, reduced to one aggregator. */
    @FunctionalInterface
    interface PartitionFunction<T> extends Serializable {
        GradientAggregator apply(int partition, java.util.Iterator<T> elements);
    }

    /** The sum over the partitions of {@code rdd} of {@code f} (one job). */
    static <T> GradientAggregator sum(JavaRDD<T> rdd, PartitionFunction<T> f) {
        if (ResidentTasks.applicable(rdd)) {
            return ResidentTasks.sum(rdd, f);
        }
        Reduced<T> reduced = new Reduced<>(rdd.rdd(), rdd.classTag(), f);
        int partitions = reduced.partitions().length;
        GradientAggregator total = GradientAggregator.empty();
        boolean local = rdd.context().isLocal();
        if (!local && partitions > DRIVER_FAN_IN) {
            return JavaRDD.fromRDD(reduced, reduced.elementClassTag()).treeAggregate(total, GradientAggregator::merge,
                    GradientAggregator::merge, 2, true);
        }
        String handoff = local ? UUID.randomUUID() + "/" : null;
        List<Integer> all = new java.util.ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            all.add(p);
        }
        try {
            Object[] results = (Object[]) rdd.context().runJob(reduced, new Only(handoff),
                    CollectionConverters.asScala(List.<Object>copyOf(all)).toSeq(), ClassTag$.MODULE$.AnyRef());
            for (Object r : results) {
                total.merge(local ? SameJvmHandoff.<GradientAggregator>find(handoff + r) : (GradientAggregator) r);
            }
            return total;
        } finally {
            if (local) {
                for (int p = 0; p < partitions; p++) {
                    SameJvmHandoff.withdraw(handoff + p);
                }
            }
        }
    }

    /** Each partition of the parent reduced to one aggregator by {@code f}. */
    private static final class Reduced<T> extends RDD<GradientAggregator> {
        private static final long serialVersionUID = 1L;
        private static final ClassTag<GradientAggregator> TAG = ClassTag$.MODULE$.apply(GradientAggregator.class);
        private final ClassTag<T> parentTag;
        private final PartitionFunction<T> f;

        Reduced(RDD<T> parent, ClassTag<T> parentTag, PartitionFunction<T> f) {
            super(parent, TAG);
            this.parentTag = parentTag;
            this.f = f;
        }

        @Override
        public Iterator<GradientAggregator> compute(Partition split, TaskContext context) {
            java.util.Iterator<T> elements = CollectionConverters.asJava(firstParent(parentTag).iterator(split, context));
            return CollectionConverters.asScala(List.of(f.apply(split.index(), elements)).iterator());
        }

        @Override
        public Partition[] getPartitions() {
            return firstParent(parentTag).partitions();
        }
    }

    /**
     * The job's function: a partition's one aggregator — returned, or in local mode left under {@code handoff} +
     * partition and the partition's number returned.
     */
    private static final class Only extends AbstractFunction2<TaskContext, Iterator<GradientAggregator>, Object>
            implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String handoff;

        Only(String handoff) {
            this.handoff = handoff;
        }

        @Override
        public Object apply(TaskContext context, Iterator<GradientAggregator> partial) {
            GradientAggregator aggregator = partial.next();
            if (handoff == null) {
                return aggregator;
            }
            SameJvmHandoff.put(handoff + context.partitionId(), aggregator);
            return context.partitionId();
        }
    }
}
