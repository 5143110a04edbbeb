/**
 * Reproduces why the Java notebook kernel sometimes never answers: rapaio-jupyter-kernel (3.0.1, the version the build
 * uses, and 3.0.4, the newest) runs each channel's poll loop in a {@code LoopThread} whose {@code start()} calls
 * {@code super.start()} first and only then sets the {@code running} flag its {@code run()} loops on. When the new thread
 * runs first, its loop ends before it starts, that channel never polls, and the kernel never answers the client's
 * {@code kernel_info_request}. This program starts N threads of the same shape and counts those that never looped.
 *
 * <pre>
 *   java bench/ThreadStartRace.java 20000                 # normal scheduling
 *   chrt --batch 0 java bench/ThreadStartRace.java 20000  # SCHED_BATCH, as notebooks/tools/kernel_spec.py starts the kernel
 * </pre>
 * Run it on a busy machine (e.g. beside a training run): the race needs the starting thread to be preempted by the
 * thread it woke, which SCHED_BATCH threads do not do (a woken SCHED_BATCH task never preempts the running one).
 */
public class ThreadStartRace {
    /** The kernel's loop thread, reduced to its start-up. */
    static final class LoopThread extends Thread {
        private volatile boolean running = false;
        private volatile boolean looped = false;

        @Override
        public void run() {
            while (running) {
                looped = true;
                running = false;
            }
        }

        @Override
        public synchronized void start() {
            super.start();
            running = true;
        }
    }

    public static void main(String[] args) throws InterruptedException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20000;
        int dead = 0;
        for (int i = 0; i < n; i++) {
            LoopThread t = new LoopThread();
            t.start();
            t.join();
            if (!t.looped) {
                dead++;
            }
        }
        System.out.printf("{\"threads\": %d, \"never_looped\": %d}%n", n, dead);
    }
}
