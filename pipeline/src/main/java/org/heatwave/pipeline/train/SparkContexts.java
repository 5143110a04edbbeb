package org.heatwave.pipeline.train;

import java.io.File;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Creation of the Spark context of a heatwave command.
 *
 * <p>{@code local-cluster[W,C,MiB]} — a master and {@code W} workers inside this JVM, every executor a JVM of
 * its own with {@code C} cores and {@code MiB} of memory — works out of the box from {@code bin/heatwave}
 * and the tests, without a Spark installation: Spark launches executors through {@code $SPARK_HOME}, which
 * needs only a {@code jars/} directory ({@code bin/heatwave} and the build point it at
 * {@code pipeline/target/spark-home}, whose {@code jars/} the build fills with the class path); the executors
 * get this JVM's class path, the Scala version Spark's launcher asks for, and the memory of the master URL.
 */
public final class SparkContexts {
    private static final Pattern LOCAL_CLUSTER = Pattern.compile("local-cluster\\[\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,\\s*(\\d+)\\s*]");

    private SparkContexts() {
    }

    /**
     * A context for {@code appName}; {@code master} applies unless a master is already set (as
     * {@code spark-submit --master} does).
     *
     * @throws IllegalStateException for {@code local-cluster} without a usable {@code SPARK_HOME}, saying what to set
     */
    public static JavaSparkContext create(String appName, String master) {
        SparkConf conf = new SparkConf().setAppName(appName).setIfMissing("spark.master", master);
        // a task's partial sums (16 bytes a parameter: 2.4 MB for the reference network) travel in the task's
        // status message, not through the block manager: one round trip less per task and step
        conf.setIfMissing("spark.task.maxDirectResultSize", "64m");
        Matcher m = LOCAL_CLUSTER.matcher(conf.get("spark.master"));
        if (m.matches()) {
            prepareLocalCluster(conf, Integer.parseInt(m.group(3)));
        }
        requireReachable(conf.get("spark.master"), conf.get("spark.submit.deployMode", "client"));
        return new JavaSparkContext(conf);
    }

    /**
     * For a standalone master ({@code spark://host:port[,host:port…]}) in client mode: one of its addresses
     * accepts a connection within a few seconds — else {@link TemporaryFailure} (exit 75: worth
     * retrying), where Spark itself would keep retrying for a minute and then fail obscurely.
     */
    static void requireReachable(String master, String deployMode) {
        if (!master.startsWith("spark://") || !deployMode.equals("client")) {
            return;
        }
        java.io.IOException last = null;
        for (String hostPort : master.substring("spark://".length()).split(",")) {
            int colon = hostPort.lastIndexOf(':');
            try (java.net.Socket socket = new java.net.Socket()) {
                socket.connect(new java.net.InetSocketAddress(hostPort.substring(0, colon),
                        Integer.parseInt(hostPort.substring(colon + 1))), 5000);
                return;
            } catch (java.io.IOException | RuntimeException e) {
                last = e instanceof java.io.IOException io ? io : new java.io.IOException(e.getMessage(), e);
            }
        }
        throw new TemporaryFailure("the Spark master " + master + " is unreachable (" + last.getMessage()
                + "); retry when it is up", last);
    }

    /** The master a context will use: {@code spark.master} as {@code spark-submit} sets it, else {@code configured}. */
    public static String master(String configured) {
        return new SparkConf().get("spark.master", configured);
    }

    /**
     * Whether the executors of {@code master} run on this machine ({@code local}, {@code local[N]},
     * {@code local-cluster[…]}), so that they see its local files.
     */
    public static boolean executorsOnThisHost(String master) {
        return master.startsWith("local");
    }

    /**
     * The Hadoop configuration a context will have, before any context exists: the defaults (and
     * {@code core-site.xml}/{@code hdfs-site.xml} on the class path) with every {@code spark.hadoop.*} setting of
     * the Spark configuration (system properties, as {@code spark-submit} passes them) — so paths can be checked
     * before Spark starts.
     */
    public static Configuration hadoopConfiguration() {
        Configuration conf = new Configuration();
        for (scala.Tuple2<String, String> kv : new SparkConf().getAll()) {
            if (kv._1().startsWith("spark.hadoop.")) {
                conf.set(kv._1().substring("spark.hadoop.".length()), kv._2());
            }
        }
        return conf;
    }

    /** What {@code local-cluster} needs from outside Spark: {@code $SPARK_HOME/jars}, a class path, the Scala version. */
    private static void prepareLocalCluster(SparkConf conf, int executorMiB) {
        String home = System.getenv("SPARK_HOME");
        if (home == null || !new File(home, "jars").isDirectory()) {
            throw new IllegalStateException("spark.master = " + conf.get("spark.master") + " launches executor JVMs through"
                    + " $SPARK_HOME, which must be a directory with a jars/ subdirectory (SPARK_HOME is "
                    + (home == null ? "not set" : "'" + home + "'") + "); bin/heatwave sets it to pipeline/target/spark-home");
        }
        conf.setIfMissing("spark.executor.extraClassPath", System.getProperty("java.class.path"));
        conf.setIfMissing("spark.executorEnv.SPARK_SCALA_VERSION", "2.13");
        conf.setIfMissing("spark.executor.memory", executorMiB + "m");
        for (String key : new String[] {"SPARK_LOCAL_IP"}) {
            String v = System.getenv(key);
            if (v != null) {
                conf.setIfMissing("spark.executorEnv." + key, v);
            }
        }
    }
}
