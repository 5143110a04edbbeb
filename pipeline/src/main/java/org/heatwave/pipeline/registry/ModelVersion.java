package org.heatwave.pipeline.registry;

import java.util.List;

/**
 * A registered model's lineage ({@code versions/vNNNNNN/lineage.json}): where it came from and how good it was when
 * it was made. Written once, with the model, never changed.
 *
 * @param version      its number, from 1
 * @param created      when it was registered (ISO-8601)
 * @param code         the heatwave that trained it ({@link CodeVersion})
 * @param parent       the version it was warm-started from, or null (cold start)
 * @param snapshot     fingerprint of the data it was trained on ({@link org.heatwave.pipeline.data.DataSnapshot})
 * @param dataRoot     the data location
 * @param parts        the parts of the snapshot, relative to {@code dataRoot}
 * @param runKey       the retraining's key: snapshot and resolved configuration
 * @param config       the resolved configuration it was trained with (HOCON)
 * @param trainingData its training data, for the next run's data checks
 * @param accuracy     held-out accuracy when it was made, in [0, 1]
 * @param loss         held-out mean cross-entropy when it was made
 * @param evaluated    held-out images
 * @param trainSeconds training time (data loading and evaluations excluded)
 */
public record ModelVersion(int version, String created, String code, Integer parent, String snapshot, String dataRoot,
                           List<String> parts, String runKey, String config, DataProfile trainingData, double accuracy,
                           double loss, long evaluated, double trainSeconds) {

    /** This staged lineage registered as version {@code n} at {@code created}, with its held-out evaluation. */
    public ModelVersion registered(int n, String created, double heldOutAccuracy, double heldOutLoss, long heldOut) {
        return new ModelVersion(n, created, code, parent, snapshot, dataRoot, parts, runKey, config, trainingData,
                heldOutAccuracy, heldOutLoss, heldOut, trainSeconds);
    }

    /** {@code "v3"}. */
    public String name() {
        return "v" + version;
    }
}
