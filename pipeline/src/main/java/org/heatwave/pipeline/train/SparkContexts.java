package org.heatwave.pipeline.train;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** Creation of the Spark context of a heatwave command. */
public final class SparkContexts {
    /** The JVM option that lets the channel-mixing kernels use explicit SIMD (ops' SpectralMixing). */
    static final String VECTOR_MODULE = "--add-modules=jdk.incubator.vector";

    private SparkContexts() {
    }

    /**
     * A context for {@code appName}; {@code master} applies unless a master is already set (as
     * {@code spark-submit --master} does). Executors started by the cluster manager get the Vector API
     * module added to {@code spark.executor.extraJavaOptions} unless it is there already.
     */
    public static JavaSparkContext create(String appName, String master) {
        SparkConf conf = new SparkConf().setAppName(appName).setIfMissing("spark.master", master);
        String executorOptions = conf.get("spark.executor.extraJavaOptions", "").trim();
        if (!executorOptions.contains("jdk.incubator.vector")) {
            conf.set("spark.executor.extraJavaOptions", (executorOptions + " " + VECTOR_MODULE).trim());
        }
        return new JavaSparkContext(conf);
    }
}
