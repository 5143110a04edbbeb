package org.heatwave.pipeline.io;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;

/**
 * A Hadoop {@link Configuration} that travels inside Spark closures, so executors open files with the
 * driver's configuration — {@code spark.hadoop.*} settings, file system implementations, credentials — rather
 * than an executor's defaults (Hadoop's own {@code Writable} form on the wire).
 */
public final class SerializableConfiguration implements Serializable {
    private static final long serialVersionUID = 1L;
    private transient Configuration value;

    public SerializableConfiguration(Configuration value) {
        this.value = value;
    }

    public Configuration value() {
        return value;
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        value.write(out);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        value = new Configuration(false);
        value.readFields(in);
    }
}
