package org.heatwave.pipeline.distributed;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.Partition;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.RDD;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;

/**
 * Spark tasks that stay for the next evaluation, in local mode: the way {@link PartitionSums} runs there when every
 * partition of the RDD has a task slot of its own.
 *
 * <p>A training step is one evaluation of the objective, and an evaluation used to be one Spark job. In local mode the
 * job's scheduling — submission, the task binary's serialisation and broadcast, launch, the results' hand-back and the
 * listeners' bookkeeping — cost ≈ 14 ms of a 108 ms step on the project's 2-vCPU machine, against 92 ms of network
 * passes (BENCHMARKS.md, issue 18). Here one Spark job serves a run of evaluations instead: its tasks, one per
 * partition and all running at once, each read their partition once and then wait for a <em>round</em>: the driver posts
 * a partition function, every task applies it to its partition's elements, and the driver merges the partial sums
 * when the last one is in. A round costs two thread hand-offs instead of a job. Distributed training frameworks on
 * Spark do the same on clusters (long-running tasks that synchronise every step, as in Spark's barrier mode); in local
 * mode the driver and the tasks share a JVM, so the rounds go through memory.
 *
 * <p>Nothing about the results changes: a round applies the same function to the same elements in the same task
 * threads as a job would, and the exact sums make the merge order irrelevant, so the bits are those of one job per
 * evaluation. A task that throws fails as a task: Spark retries it under {@code local[N,F]} and the new attempt does
 * the round its predecessor did not finish; past the retries the job fails and the waiting evaluation throws.
 *
 * <p>The tasks hold every task slot of the partitions they serve. They leave when no round has come for
 * {@value #IDLE_MILLIS} ms, when {@link #release()} is called (before any other job of the objective: a test
 * evaluation, features), or when an evaluation of another RDD starts: any other Spark job waits at most that long for
 * its slots. The next evaluation after they left starts a new job.
 */
final class ResidentTasks {
    /** How long the tasks wait for a round before they give their slots back. */
    static final long IDLE_MILLIS = 200;
    /** How long {@link #release()} waits for the released tasks' job to end. */
    private static final long LEAVE_MILLIS = 2000;
    /** How often an evaluation waiting for its round checks that the tasks' job still runs. */
    private static final long JOB_CHECK_MILLIS = 100;
    /** Guards every session's state; tasks and evaluations wait on it. */
    private static final Object LOCK = new Object();
    /** The session whose tasks serve rounds now, or null. */
    private static Session<?> current;
    /** Every session whose job runs, by key: how its tasks find it. */
    private static final java.util.Map<String, Session<?>> SESSIONS = new java.util.concurrent.ConcurrentHashMap<>();

    private ResidentTasks() {
    }

    /** Whether {@code rdd}'s evaluations may run as rounds: local mode, and a task slot for every partition. */
    static boolean applicable(JavaRDD<?> rdd) {
        return rdd.getNumPartitions() <= localSlots(rdd.context().master(), rdd.context().conf().getInt("spark.task.cpus", 1));
    }

    /**
     * The tasks a local master runs at once ({@code local} 1, {@code local[N]} and {@code local[N,F]} N, {@code local[*]}
     * the machine's cores, each task taking {@code taskCpus} of them); 0 for any other master. Not
     * {@code defaultParallelism}, which {@code spark.default.parallelism} may set above the cores: a resident job with
     * a partition that has no slot would finish every round only after its running tasks' idle time.
     */
    static int localSlots(String master, int taskCpus) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("local(?:\\[(\\*|\\d+)(?:,\\d+)?\\])?").matcher(master);
        if (!m.matches()) {
            return 0;
        }
        int cores = m.group(1) == null ? 1
                : m.group(1).equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(m.group(1));
        return cores / Math.max(1, taskCpus);
    }

    /** The sum over the partitions of {@code rdd} of {@code f}: one round of resident tasks (a new job if none serves {@code rdd}). */
    static <T> GradientAggregator sum(JavaRDD<T> rdd, PartitionSums.PartitionFunction<T> f) {
        Session<T> session;
        Round<T> round;
        synchronized (LOCK) {
            while (true) {
                session = serving(rdd);
                if (session == null) {
                    session = new Session<>(rdd);
                    current = session;
                    session.start();
                    break;
                }
                if (session.round == null || session.round.remaining == 0) {
                    break;
                }
                waitOnLock("another evaluation's round"); // one round at a time: a second driver thread waits its turn
            }
            round = session.post(f);
            LOCK.notifyAll();
        }
        return session.await(round);
    }

    /**
     * Lets the resident tasks go as soon as they have finished their round (before a job of another shape, or before the
     * context stops), and waits — up to {@value #LEAVE_MILLIS} ms, and not while a round is in flight — until their job
     * has ended: its slots are free again and no task still holds a lock on its task binary when Spark shuts down.
     */
    static void release() {
        synchronized (LOCK) {
            Session<?> leaving = current;
            if (leaving == null) {
                return;
            }
            leaving.closing = true;
            current = null;
            LOCK.notifyAll();
            long deadline = System.nanoTime() + LEAVE_MILLIS * 1_000_000;
            while (!leaving.job.finished() && (leaving.round == null || leaving.round.remaining == 0)) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return;
                }
                try {
                    LOCK.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Waits (holding {@link #LOCK}) for a notification or {@value #JOB_CHECK_MILLIS} ms; an interrupt releases the tasks. */
    private static void waitOnLock(String what) {
        try {
            LOCK.wait(JOB_CHECK_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // release() then returns at once: it waits only while not interrupted
            release();
            throw new IllegalStateException("interrupted while waiting for " + what, e);
        }
    }

    /** The current session if its tasks serve {@code rdd} and stay; otherwise releases it and returns null. */
    @SuppressWarnings("unchecked")
    private static <T> Session<T> serving(JavaRDD<T> rdd) {
        if (current != null && !current.closing && current.rdd.rdd() == rdd.rdd() && !current.job.finished()) {
            return (Session<T>) current;
        }
        release();
        return null;
    }

    /** One partition function applied by every task, and the partial sums it has given so far. */
    private static final class Round<T> {
        final long number;
        final PartitionSums.PartitionFunction<T> f;
        final GradientAggregator[] partial;
        int remaining;

        Round(long number, PartitionSums.PartitionFunction<T> f, int partitions) {
            this.number = number;
            this.f = f;
            this.partial = new GradientAggregator[partitions];
            this.remaining = partitions;
        }
    }

    /** One Spark job of resident tasks over one RDD, and the rounds it serves. */
    private static final class Session<T> {
        final JavaRDD<T> rdd;
        final int rddId;
        final int partitions;
        /** Under this key the tasks find the session. */
        final String key = java.util.UUID.randomUUID().toString();
        /** The last round each partition has finished. */
        final long[] done;
        final Job job = new Job();
        Round<T> round;
        long rounds;
        boolean closing;

        Session(JavaRDD<T> rdd) {
            this.rdd = rdd;
            this.rddId = rdd.id();
            this.partitions = rdd.getNumPartitions();
            this.done = new long[partitions];
        }

        /** Submits the job of resident tasks, from a thread of its own (it inherits the caller's job properties). */
        void start() {
            SESSIONS.put(key, this);
            Served<T> served = new Served<>(rdd.rdd(), rdd.classTag(), key);
            List<Object> all = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                all.add(p);
            }
            String first = rdd.context().getLocalProperty("spark.job.description");
            Thread thread = new Thread(() -> {
                try {
                    rdd.context().setLocalProperty("spark.job.description",
                            "resident tasks: " + (first == null ? "evaluations" : first + " and the evaluations after it"));
                    rdd.context().runJob(served, new Nothing(), CollectionConverters.asScala(all).toSeq(),
                            ClassTag$.MODULE$.AnyRef());
                    job.end(null);
                } catch (Throwable e) {
                    job.end(e);
                } finally {
                    SESSIONS.remove(key);
                }
            }, "heatwave-resident-tasks-" + rddId);
            thread.setDaemon(true);
            thread.start();
        }

        /** Posts the next round (under the lock). */
        Round<T> post(PartitionSums.PartitionFunction<T> f) {
            round = new Round<>(++rounds, f, partitions);
            return round;
        }

        /** Waits for every partial sum of {@code r} and merges them; throws if the job ended first. */
        GradientAggregator await(Round<T> r) {
            synchronized (LOCK) {
                while (r.remaining > 0) {
                    if (job.finished()) {
                        closing = true;
                        if (current == this) {
                            current = null;
                        }
                        throw job.failure(r.remaining);
                    }
                    waitOnLock("the resident tasks' partial sums");
                }
            }
            GradientAggregator total = GradientAggregator.empty();
            for (GradientAggregator a : r.partial) {
                total.merge(a);
            }
            return total;
        }

        /**
         * A task's life: the rounds for partition {@code p} over {@code elements}, until the session closes or no round
         * has come for {@value #IDLE_MILLIS} ms. A round's failure is the task's failure.
         */
        void serve(int p, List<T> elements, TaskContext context) throws InterruptedException {
            while (true) {
                Round<T> r;
                synchronized (LOCK) {
                    long deadline = System.nanoTime() + IDLE_MILLIS * 1_000_000;
                    while (round == null || round.number == done[p]) {
                        long left = (deadline - System.nanoTime()) / 1_000_000;
                        if (closing || job.finished() || context.isInterrupted()) {
                            return; // released, or the job was aborted (a task failed for good): leave at once
                        }
                        if (left <= 0) {
                            closing = true;
                            if (current == this) {
                                current = null;
                            }
                            LOCK.notifyAll();
                            return;
                        }
                        LOCK.wait(left);
                    }
                    r = round;
                }
                GradientAggregator partial = r.f.apply(p, elements.iterator());
                synchronized (LOCK) {
                    r.partial[p] = partial;
                    done[p] = r.number;
                    r.remaining--;
                    LOCK.notifyAll();
                }
            }
        }
    }

    /** How the job of a session ended (guarded by {@link #LOCK}). */
    private static final class Job {
        private boolean finished;
        private Throwable failure;

        void end(Throwable failureOrNull) {
            synchronized (LOCK) {
                finished = true;
                failure = failureOrNull;
                LOCK.notifyAll();
            }
        }

        boolean finished() {
            return finished;
        }

        RuntimeException failure(int missing) {
            String message = "the resident tasks' job ended with " + missing + " partial sum(s) of a round missing";
            return failure == null ? new IllegalStateException(message)
                    : new IllegalStateException(message + ": " + failure.getMessage(), failure);
        }
    }

    /** The tasks of a session: each serves its partition's rounds, then yields nothing. */
    private static final class Served<T> extends RDD<Object> {
        private static final long serialVersionUID = 1L;
        private final ClassTag<T> parentTag;
        private final String key;

        Served(RDD<T> parent, ClassTag<T> parentTag, String key) {
            super(parent, ClassTag$.MODULE$.AnyRef());
            this.parentTag = parentTag;
            this.key = key;
        }

        @Override
        public Iterator<Object> compute(Partition split, TaskContext context) {
            @SuppressWarnings("unchecked")
            Session<T> session = (Session<T>) SESSIONS.get(key);
            if (session == null) {
                return CollectionConverters.asScala(Collections.emptyIterator());
            }
            List<T> elements = new ArrayList<>();
            CollectionConverters.asJava(firstParent(parentTag).iterator(split, context)).forEachRemaining(elements::add);
            try {
                session.serve(split.index(), elements, context);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return CollectionConverters.asScala(Collections.emptyIterator());
        }

        @Override
        public Partition[] getPartitions() {
            return firstParent(parentTag).partitions();
        }
    }

    /** The job's function: the tasks return nothing (their partial sums go through their session). */
    private static final class Nothing extends AbstractFunction2<TaskContext, Iterator<Object>, Object>
            implements java.io.Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public Object apply(TaskContext context, Iterator<Object> ignored) {
            return 0;
        }
    }
}
