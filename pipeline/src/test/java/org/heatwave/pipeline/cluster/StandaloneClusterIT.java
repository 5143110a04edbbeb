package org.heatwave.pipeline.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.heatwave.pipeline.TinyDataset;
import org.heatwave.pipeline.io.ModelIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The application jar submitted with Spark's own {@code SparkSubmit} to a standalone cluster — a master and
 * two workers, each a JVM of its own, started by {@code bin/spark-cluster} — in client and in cluster deploy
 * mode, as a user would; the runs' outputs are checked and both models are the same, bit for bit. An
 * integration test: it needs the application jar, which the build makes after the unit tests.
 */
class StandaloneClusterIT {
    @TempDir
    static Path tmp;
    static Path root;
    static Path data;

    @BeforeAll
    static void startCluster() throws Exception {
        root = Path.of(System.getProperty("heatwave.root", "..")).toAbsolutePath().normalize();
        data = TinyDataset.write(tmp.resolve("data"), 192, 48, 8, 31);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        assertEquals(0, script("start", "--workers", "2", "--cores", "1", "--memory", "1024", "--port", String.valueOf(port)));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        script("stop");
    }

    private static int script(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", root.resolve("bin/spark-cluster").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(tmp.resolve("spark-cluster.log").toFile()));
        pb.environment().put("HEATWAVE_CLUSTER_DIR", tmp.resolve("cluster").toString());
        Process p = pb.start();
        if (!p.waitFor(240, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("bin/spark-cluster " + String.join(" ", args) + " timed out: " + log());
        }
        return p.exitValue();
    }

    private static String log() throws IOException {
        return Files.readString(tmp.resolve("spark-cluster.log"));
    }

    private static String[] submit(String mode, Path out) {
        return new String[] {"submit", "--deploy-mode", mode, "--", "train", "--out", out.toString(), "--set",
                "data.path=" + data, "--set", "data.prepared-dir=" + tmp.resolve("prepared"), "--set", "model.widths=[4,8]",
                "--set", "model.steps=2", "--set", "train.epochs=2", "--set", "train.batch-size=32", "--set", "data.partitions=2"};
    }

    @Test
    @Timeout(600)
    void theAppJarRunsInClientAndClusterDeployMode() throws Exception {
        Path client = tmp.resolve("client"), cluster = tmp.resolve("cluster-mode");
        assertEquals(0, script(submit("client", client)), log());
        assertEquals(0, script(submit("cluster", cluster)), log());
        for (Path run : List.of(client, cluster)) {
            for (String f : new String[] {"_SUCCESS", "model/model.json", "metrics.jsonl", "summary.json", "config.conf"}) {
                assertTrue(Files.exists(run.resolve(f)), run + ": " + f + "\n" + log());
            }
            assertTrue(Files.readString(run.resolve("summary.json")).contains("spark://127.0.0.1:"));
        }
        Configuration conf = new Configuration();
        assertArrayEquals(ModelIO.load(client.resolve("model").toString(), conf).params(),
                ModelIO.load(cluster.resolve("model").toString(), conf).params(), 0);
        assertTrue(new File(tmp.resolve("cluster").toFile(), "worker-1").isDirectory());
    }
}
