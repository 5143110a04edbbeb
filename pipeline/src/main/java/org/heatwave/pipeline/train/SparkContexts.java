package org.heatwave.pipeline.train;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** Creation of the Spark context of a heatwave command. */
public final class SparkContexts {
    private SparkContexts() {
    }

    /**
     * A context for {@code appName}; {@code master} applies unless a master is already set (as
     * {@code spark-submit --master} does).
     */
    public static JavaSparkContext create(String appName, String master) {
        SparkConf conf = new SparkConf().setAppName(appName).setIfMissing("spark.master", master);
        return new JavaSparkContext(conf);
    }
}
