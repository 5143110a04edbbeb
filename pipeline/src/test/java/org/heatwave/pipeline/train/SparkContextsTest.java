package org.heatwave.pipeline.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/** Executors launched by a cluster manager get the Vector API module; options already set are kept. */
class SparkContextsTest {

    @Test
    void executorsGetTheVectorModuleAfterTheUsersOptions() {
        String key = "spark.executor.extraJavaOptions";
        System.setProperty(key, "-Dheatwave.test=1");
        try (JavaSparkContext jsc = SparkContexts.create("spark-contexts-test", "local[1]")) {
            assertEquals("-Dheatwave.test=1 " + SparkContexts.VECTOR_MODULE, jsc.getConf().get(key));
        } finally {
            System.clearProperty(key);
        }
    }
}
