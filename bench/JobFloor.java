import java.util.Arrays;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Spark's own cost of one job in local mode, the floor under a training step's scheduling time: 150 jobs over a cached
 * RDD of 2 partitions, each task doing nothing, in five variants — no data ({@code empty}), θ's 149,402 doubles
 * broadcast and read ({@code bcast}), a result of that size per task ({@code result}), both, as a training step
 * moved them until issue 18's session 14 — all four through {@code mapPartitions} and {@code collect}, whose Scala
 * closures Spark's ClosureCleaner cleans (reading and parsing their declaring classes' bytecode) — and the empty job
 * built as {@code PartitionSums} builds a step's job, without closures ({@code named}: an RDD subclass and a named
 * job function). Prints the median and the 10th/90th percentiles of the last 100 jobs, every variant twice.
 *
 * <pre>
 *   mvn -q -DskipTests install
 *   CP="pipeline/target/heatwave-pipeline-0.1.0-SNAPSHOT-app.jar:$(cat pipeline/target/classpath.txt)"
 *   mkdir -p target/bench &amp;&amp; javac -d target/bench -cp "$CP" bench/JobFloor.java
 *   java $(cat pipeline/target/jvm-flags.txt) -Xms2g -Xmx2g -Dlog4j2.configurationFile=conf/log4j2.properties \
 *     -cp "target/bench:$CP" JobFloor
 * </pre>
 * (Compiled to a directory, not run as a source file: the executors must load the tasks' classes.)
 */
public class JobFloor {
    private static final scala.reflect.ClassTag<Integer> INT = scala.reflect.ClassTag$.MODULE$.apply(Integer.class);

    /** The parent's partitions, one element each, by a named class: no closure to clean. */
    static final class Mapped extends org.apache.spark.rdd.RDD<Integer> {
        Mapped(org.apache.spark.rdd.RDD<Integer> parent) {
            super(parent, INT);
        }

        @Override
        public scala.collection.Iterator<Integer> compute(org.apache.spark.Partition split, org.apache.spark.TaskContext context) {
            firstParent(INT).iterator(split, context);
            return scala.jdk.javaapi.CollectionConverters.asScala(List.of(1).iterator());
        }

        @Override
        public org.apache.spark.Partition[] getPartitions() {
            return firstParent(INT).partitions();
        }
    }

    /** A task's one element, by a named class. */
    static final class First extends scala.runtime.AbstractFunction2<org.apache.spark.TaskContext, scala.collection.Iterator<Integer>, Integer>
            implements java.io.Serializable {
        @Override
        public Integer apply(org.apache.spark.TaskContext context, scala.collection.Iterator<Integer> it) {
            return it.next();
        }
    }

    public static void main(String[] args) {
        SparkConf conf = new SparkConf().setAppName("job floor").setMaster("local[2]").set("spark.ui.enabled", "false")
                .set("spark.task.maxDirectResultSize", "64m");
        try (JavaSparkContext jsc = new JavaSparkContext(conf)) {
            JavaRDD<Integer> rdd = jsc.parallelize(List.of(1, 2), 2).cache();
            rdd.count();
            int params = 149_402;
            double[] theta = new double[params];
            scala.collection.immutable.Seq<Object> partitions = scala.jdk.javaapi.CollectionConverters.asScala(List.<Object>of(0, 1)).toSeq();
            for (String mode : new String[] {"empty", "named", "bcast", "result", "both", "empty", "named", "bcast", "result", "both"}) {
                boolean broadcast = mode.equals("bcast") || mode.equals("both");
                boolean result = mode.equals("result") || mode.equals("both");
                double[] ms = new double[150];
                for (int it = 0; it < ms.length; it++) {
                    long t0 = System.nanoTime();
                    Broadcast<double[]> th = broadcast ? jsc.broadcast(theta) : null;
                    if (mode.equals("named")) {
                        jsc.sc().runJob(new Mapped(rdd.rdd()), new First(), partitions, INT);
                    } else {
                        rdd.mapPartitions(x -> {
                            double read = th == null ? 0 : th.value()[0];
                            return List.of(result ? new double[params] : new double[] {read}).iterator();
                        }).collect();
                    }
                    if (th != null) {
                        th.destroy();
                    }
                    ms[it] = (System.nanoTime() - t0) / 1e6;
                }
                double[] last = Arrays.copyOfRange(ms, 50, 150);
                Arrays.sort(last);
                System.out.printf("%-6s median %.2f ms  p10 %.2f  p90 %.2f%n", mode, last[50], last[10], last[90]);
            }
        }
    }
}
