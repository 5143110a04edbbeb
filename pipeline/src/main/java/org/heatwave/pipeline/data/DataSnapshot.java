package org.heatwave.pipeline.data;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.heatwave.pipeline.train.TemporaryFailure;

/**
 * What one retraining trains on: the data under a location at one moment (issue 17). New labelled images arrive as
 * new <em>parts</em>, e.g. one directory per night ({@code date=2026-12-01/}); each part is a dataset in
 * {@code data.format} (its IDX or CIFAR files, or {@code train/} and {@code test/} class folders or Parquet datasets).
 * <ul>
 *   <li>A location that holds a dataset itself (files directly in it for {@code idx} and {@code cifar}, a
 *       {@code train/} directory for {@code image-folder} and {@code parquet}) is a single part; otherwise its
 *       subdirectories are the parts, in name order.</li>
 *   <li>Names starting with {@code .} or {@code _} are hidden, as everywhere in Hadoop: a delivery copied under a
 *       hidden name and renamed into place is never read half-copied.</li>
 *   <li>The fingerprint is the SHA-256 of every visible file's path (relative to the location), length and
 *       modification time, in path order: the same files give the same fingerprint on any machine, a file added,
 *       replaced or grown gives another.</li>
 * </ul>
 *
 * @param root        the location, qualified
 * @param parts       the parts' directories (qualified), in the order their records are concatenated
 * @param fingerprint hex SHA-256 of the listing
 * @param files       visible files
 * @param bytes       their total length
 */
public record DataSnapshot(String root, List<String> parts, String fingerprint, long files, long bytes) {

    /** Lists {@code location} now. @throws FileNotFoundException if it does not exist or holds no visible file */
    public static DataSnapshot take(String location, String format, Configuration conf) throws IOException {
        Path root = new Path(location);
        FileSystem fs = root.getFileSystem(conf);
        if (!fs.exists(root)) {
            throw new FileNotFoundException(location + " does not exist (data.path: the directory the new data arrive in)");
        }
        root = fs.makeQualified(root);
        List<String> parts = new ArrayList<>();
        if (holdsDataset(fs, root, format)) {
            parts.add(root.toString());
        } else {
            for (FileStatus s : fs.listStatus(root)) {
                if (s.isDirectory() && !hidden(s.getPath().getName())) {
                    parts.add(s.getPath().toString());
                }
            }
            parts.sort(null);
        }
        MessageDigest sha = sha256();
        long files = 0, bytes = 0;
        List<String> lines = new ArrayList<>();
        String prefix = root.toUri().getPath();
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
        while (it.hasNext()) {
            LocatedFileStatus f = it.next();
            String relative = f.getPath().toUri().getPath().substring(prefix.length());
            if (!visible(relative)) {
                continue;
            }
            lines.add(relative + "\t" + f.getLen() + "\t" + f.getModificationTime() + "\n");
            files++;
            bytes += f.getLen();
        }
        if (files == 0 || parts.isEmpty()) {
            throw new FileNotFoundException(location + " holds no data: expected a dataset in data.format = " + format
                    + " or one directory per delivery holding one (names starting with . or _ are ignored)");
        }
        lines.sort(null);
        lines.forEach(l -> sha.update(l.getBytes(StandardCharsets.UTF_8)));
        return new DataSnapshot(root.toString(), List.copyOf(parts), HexFormat.of().formatHex(sha.digest()), files, bytes);
    }

    /** The parts' names relative to the root ({@code "."} for a root that is its own single part). */
    public List<String> partNames() {
        return parts.stream().map(p -> p.equals(root) ? "." : p.substring(root.length() + 1)).toList();
    }

    /**
     * That {@code format}'s data under the root are still exactly this snapshot (taken again after loading them).
     *
     * @throws TemporaryFailure naming the location when a file was added, removed or changed meanwhile (exit 75)
     */
    public void requireUnchanged(String format, Configuration conf) throws IOException {
        DataSnapshot now = take(root, format, conf);
        if (!now.fingerprint.equals(fingerprint)) {
            throw new TemporaryFailure(root + " changed while it was read (" + files + " files of " + bytes
                    + " bytes at the start, " + now.files + " files of " + now.bytes + " bytes now): deliver new data"
                    + " under a hidden name (.NAME or _NAME) and rename it into place when complete; retry later", null);
        }
    }

    private static boolean holdsDataset(FileSystem fs, Path dir, String format) throws IOException {
        if (format.equals("image-folder") || format.equals("parquet")) {
            return fs.exists(new Path(dir, "train"));
        }
        for (FileStatus s : fs.listStatus(dir)) {
            if (s.isFile() && !hidden(s.getPath().getName())) {
                return true;
            }
        }
        return false;
    }

    private static boolean visible(String relative) {
        for (String name : relative.split("/")) {
            if (!name.isEmpty() && hidden(name)) {
                return false;
            }
        }
        return true;
    }

    private static boolean hidden(String name) {
        return name.startsWith(".") || name.startsWith("_");
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
