import java.util.Arrays;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Spark's own cost of one job in local mode, the floor under a training step's scheduling time: 150 jobs over a cached
 * RDD of 2 partitions, each task doing nothing, in four variants — no data ({@code empty}), θ's 149,402 doubles
 * broadcast and read ({@code bcast}), a result of that size per task ({@code result}), and both, as a training step
 * moves them. Prints the median and the 10th/90th percentiles of the last 100 jobs, every variant twice.
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
    public static void main(String[] args) {
        SparkConf conf = new SparkConf().setAppName("job floor").setMaster("local[2]").set("spark.ui.enabled", "false")
                .set("spark.task.maxDirectResultSize", "64m");
        try (JavaSparkContext jsc = new JavaSparkContext(conf)) {
            JavaRDD<Integer> rdd = jsc.parallelize(List.of(1, 2), 2).cache();
            rdd.count();
            int params = 149_402;
            double[] theta = new double[params];
            for (String mode : new String[] {"empty", "bcast", "result", "both", "empty", "bcast", "result", "both"}) {
                boolean broadcast = mode.equals("bcast") || mode.equals("both");
                boolean result = mode.equals("result") || mode.equals("both");
                double[] ms = new double[150];
                for (int it = 0; it < ms.length; it++) {
                    long t0 = System.nanoTime();
                    Broadcast<double[]> th = broadcast ? jsc.broadcast(theta) : null;
                    rdd.mapPartitions(x -> {
                        double read = th == null ? 0 : th.value()[0];
                        return List.of(result ? new double[params] : new double[] {read}).iterator();
                    }).collect();
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
