package org.heatwave.pipeline.ml;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.heatwave.pipeline.io.Json;

/**
 * A model evaluated on labelled images: the confusion matrix {@code counts[true class][predicted class]}, the mean
 * cross-entropy loss {@code −log p(true class)} and, from them, accuracy and each class's recall and precision. The
 * predictions are the model's own ({@link HeatwaveClassificationModel#transform}), summed by one aggregation job.
 *
 * @param classNames the model's classes, index {@code i} the name of class {@code i}
 * @param confusion  {@code confusion[t][p]}: images of class {@code t} predicted as {@code p}
 * @param lossSum    {@code Σ −log p(true class)} over the images
 */
public record ClassifierEvaluation(List<String> classNames, long[][] confusion, double lossSum) {

    /**
     * Evaluates {@code model} on {@code labelled}: its features column as the model reads it, and {@code labelCol}
     * holding class indices of the model's classes.
     */
    public static ClassifierEvaluation of(HeatwaveClassificationModel model, Dataset<Row> labelled, String labelCol) {
        Dataset<Row> predicted = model.copy(new org.apache.spark.ml.param.ParamMap()).setPredictionCol("__prediction")
                .setProbabilityCol("__probability").setRawPredictionCol("").transform(labelled);
        return ofPredictions(model.classNames(), predicted, labelCol, "__prediction", "__probability");
    }

    /**
     * Evaluates predictions already made ({@link HeatwaveClassificationModel#transform}'s output, e.g. cached to
     * look at them further): {@code labelCol} the true class indices, {@code predictionCol} and
     * {@code probabilityCol} the model's.
     */
    public static ClassifierEvaluation ofPredictions(List<String> classNames, Dataset<Row> predicted, String labelCol,
                                                     String predictionCol, String probabilityCol) {
        int k = classNames.size();
        Column label = functions.col(labelCol).cast("int");
        Column p = functions.element_at(org.apache.spark.ml.functions.vector_to_array(functions.col(probabilityCol),
                "float64"), label.plus(1));
        List<Row> cells = predicted.select(label.as("t"), functions.col(predictionCol).cast("int").as("p"),
                        functions.log(p).multiply(-1).as("nll"))
                .groupBy("t", "p").agg(functions.count(functions.lit(1)), functions.sum("nll")).collectAsList();
        long[][] confusion = new long[k][k];
        double loss = 0;
        for (Row c : cells) {
            int t = c.getInt(0);
            if (t < 0 || t >= k) {
                throw new IllegalArgumentException("label " + t + " is outside the model's classes 0.." + (k - 1));
            }
            confusion[t][c.getInt(1)] += c.getLong(2);
            loss += c.getDouble(3);
        }
        return new ClassifierEvaluation(classNames, confusion, loss);
    }

    public long count() {
        long n = 0;
        for (long[] row : confusion) {
            for (long v : row) {
                n += v;
            }
        }
        return n;
    }

    public double accuracy() {
        long right = 0;
        for (int i = 0; i < confusion.length; i++) {
            right += confusion[i][i];
        }
        return count() == 0 ? Double.NaN : right / (double) count();
    }

    /** The accuracy on class {@code t}'s images (its recall), NaN if there are none. */
    public double recall(int t) {
        long actual = 0;
        for (long v : confusion[t]) {
            actual += v;
        }
        return actual == 0 ? Double.NaN : confusion[t][t] / (double) actual;
    }

    public double meanLoss() {
        return lossSum / count();
    }

    /**
     * {@code {"accuracy", "count", "loss", "class_names", "confusion", "classes": [{"name", "count", "recall",
     * "precision"}]}} (recall and precision null for a class without images or predictions).
     */
    public ObjectNode json() {
        ObjectNode o = Json.object().put("accuracy", accuracy()).put("count", count()).put("loss", meanLoss());
        ArrayNode names = o.putArray("class_names");
        classNames.forEach(names::add);
        ArrayNode matrix = o.putArray("confusion");
        ArrayNode classes = o.putArray("classes");
        for (int t = 0; t < confusion.length; t++) {
            ArrayNode row = matrix.addArray();
            long actual = 0, predicted = 0;
            for (int q = 0; q < confusion.length; q++) {
                row.add(confusion[t][q]);
                actual += confusion[t][q];
                predicted += confusion[q][t];
            }
            ObjectNode c = classes.addObject().put("name", classNames.get(t)).put("count", actual);
            if (actual > 0) {
                c.put("recall", recall(t));
            } else {
                c.putNull("recall");
            }
            if (predicted > 0) {
                c.put("precision", confusion[t][t] / (double) predicted);
            } else {
                c.putNull("precision");
            }
        }
        return o;
    }
}
