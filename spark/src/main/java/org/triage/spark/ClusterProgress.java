package org.triage.spark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import scala.Tuple4;

/**
 * The driver's view of the cluster as the job runs, from Spark's listener events: the executors
 * (added, removed and why), each task's executor and live bytes (the tasks' byte accumulator, which
 * executors' heartbeats carry while a task runs), the tasks done, and the attempts that failed (an
 * executor lost, a task that threw). For the progress line and the audit trail.
 *
 * <p>Threading: Spark's listener bus calls the {@code on*} methods on its thread; the rest are read
 * from others: every method is synchronized (events are few: one per task and heartbeat).
 */
final class ClusterProgress extends SparkListener {
    static final String BYTES = "triage bytes read";

    private final long startNanos = System.nanoTime();
    private final Map<String, Map<String, Object>> executors = new LinkedHashMap<>();
    /** Task id -> [partition, executor] of tasks running. */
    private final Map<Long, Object[]> running = new LinkedHashMap<>();
    private final Map<Long, Long> liveBytes = new LinkedHashMap<>();
    private final Map<String, Long> doneBytesByExecutor = new LinkedHashMap<>();
    private final Map<String, Long> firstStart = new LinkedHashMap<>();
    /** Partition -> the attempts of it that failed. */
    private final Map<Integer, List<Map<String, Object>>> failed = new LinkedHashMap<>();
    private long doneBytes;
    private int tasksDone;
    /**
     * Per task (partition), its part of the item's size: an image's or device's size over its shares;
     * -1 for a directory, whose size is known only once read. The ETA is of these: a share's content
     * bytes are fewer than its part of the image (free space is not read), so it counts as its part
     * once done, and meanwhile as what it read, at most its part.
     */
    private long[] weights = new long[0];
    private long doneWeight;

    /** The job about to run: each task's part of its item's size (-1: not known before it is read). */
    synchronized void job(long[] taskWeights) {
        this.weights = taskWeights.clone();
    }

    @Override
    public synchronized void onExecutorAdded(SparkListenerExecutorAdded e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("executor", e.executorId());
        m.put("host", e.executorInfo().executorHost());
        m.put("cores", e.executorInfo().totalCores());
        m.put("added", java.time.Instant.ofEpochMilli(e.time()).toString());
        executors.put(e.executorId(), m);
    }

    @Override
    public synchronized void onExecutorRemoved(SparkListenerExecutorRemoved e) {
        Map<String, Object> m = executors.computeIfAbsent(e.executorId(), k -> new LinkedHashMap<>(Map.of("executor", k)));
        m.put("removed", java.time.Instant.ofEpochMilli(e.time()).toString());
        m.put("reason", e.reason());
    }

    @Override
    public synchronized void onTaskStart(SparkListenerTaskStart e) {
        running.put(e.taskInfo().taskId(), new Object[] {e.taskInfo().index(), e.taskInfo().executorId()});
        Map<String, Object> ex = executors.computeIfAbsent(e.taskInfo().executorId(),
                k -> new LinkedHashMap<>(Map.of("executor", k)));
        ex.putIfAbsent("host", e.taskInfo().host());
        firstStart.putIfAbsent(e.taskInfo().executorId(), System.nanoTime());
    }

    @Override
    public synchronized void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate e) {
        scala.collection.Iterator<Tuple4<Object, Object, Object, scala.collection.immutable.Seq<AccumulableInfo>>> it =
                e.accumUpdates().iterator();
        while (it.hasNext()) {
            Tuple4<Object, Object, Object, scala.collection.immutable.Seq<AccumulableInfo>> u = it.next();
            long task = (Long) u._1();
            Long v = bytesOf(u._4().iterator(), true);
            if (v != null && running.containsKey(task)) liveBytes.put(task, v);
        }
    }

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd e) {
        long task = e.taskInfo().taskId();
        running.remove(task);
        liveBytes.remove(task);
        String executor = e.taskInfo().executorId();
        if (e.reason() == Success$.MODULE$) {
            Long v = bytesOf(e.taskInfo().accumulables().iterator(), true);
            long b = v == null ? 0 : v;
            doneBytes += b;
            int i = e.taskInfo().index();
            boolean known = i < weights.length && weights[i] >= 0;
            doneWeight += known ? weights[i] : b;
            if (!known) doneUnknown += b;
            doneBytesByExecutor.merge(executor, b, Long::sum);
            tasksDone++;
        } else {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("attempt", e.taskInfo().attemptNumber());
            f.put("executor", executor);
            f.put("host", e.taskInfo().host());
            f.put("reason", e.reason().toString());
            failed.computeIfAbsent(e.taskInfo().index(), k -> new ArrayList<>()).add(f);
        }
    }

    /** The value a task's byte accumulator reached (its update for this task), or null when it has none. */
    private static Long bytesOf(scala.collection.Iterator<AccumulableInfo> infos, boolean update) {
        while (infos.hasNext()) {
            AccumulableInfo i = infos.next();
            if (i.name().isDefined() && BYTES.equals(i.name().get())) {
                scala.Option<Object> v = update ? i.update() : i.value();
                if (v.isDefined() && v.get() instanceof Long l) return l;
            }
        }
        return null;
    }

    /** The attempts of one task (by partition) that failed; empty when none did. */
    synchronized List<Map<String, Object>> failures(int partition) {
        return List.copyOf(failed.getOrDefault(partition, List.of()));
    }

    /** Every executor seen, with when it came and went: for the audit trail. */
    synchronized List<Map<String, Object>> executors() {
        return executors.values().stream().map(m -> (Map<String, Object>) new LinkedHashMap<>(m)).toList();
    }

    synchronized int tasksDone() { return tasksDone; }

    synchronized int retried() { return failed.values().stream().mapToInt(List::size).sum(); }

    /** One line for people: tasks, bytes, rate, ETA, and each executor's rate. */
    synchronized String line(int itemsDone, int items) {
        long live = liveBytes.values().stream().mapToLong(Long::longValue).sum();
        long read = doneBytes + live;
        double seconds = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
        double rate = read / seconds;
        long done = doneWeight;
        long total = doneUnknown;
        for (Map.Entry<Long, Object[]> t : running.entrySet()) {
            int i = (Integer) t.getValue()[0];
            long w = i < weights.length ? weights[i] : -1;
            long b = liveBytes.getOrDefault(t.getKey(), 0L);
            done += w >= 0 ? Math.min(w, b) : b;
        }
        boolean unknown = false;
        for (long w : weights) {
            if (w >= 0) total += w;
            else unknown = true;
        }
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "cluster: %d of %d tasks done", tasksDone, weights.length));
        int r = retried();
        if (r > 0) s.append(" (").append(r).append(r == 1 ? " attempt" : " attempts").append(" failed, run again)");
        s.append(String.format(Locale.ROOT, ", %d of %d items recorded, %s read, %.1f MB/s", itemsDone, items, mb(read), rate / 1e6));
        double pace = done / seconds;
        if (tasksDone < weights.length && total > 0 && pace > 0) {
            long eta = (long) Math.ceil(Math.max(0, total - done) / pace);
            s.append(String.format(Locale.ROOT, ", ETA %d:%02d%s", eta / 60, eta % 60, unknown ? " (folders not counted)" : ""));
        }
        for (Map.Entry<String, Long> first : firstStart.entrySet()) {
            String ex = first.getKey();
            long b = doneBytesByExecutor.getOrDefault(ex, 0L);
            for (Map.Entry<Long, Object[]> t : running.entrySet()) {
                if (ex.equals(t.getValue()[1])) b += liveBytes.getOrDefault(t.getKey(), 0L);
            }
            double secs = Math.max(1e-3, (System.nanoTime() - first.getValue()) / 1e9);
            Object host = executors.getOrDefault(ex, Map.of()).getOrDefault("host", "?");
            boolean gone = executors.getOrDefault(ex, Map.of()).containsKey("removed");
            s.append(String.format(Locale.ROOT, "; executor %s on %s: %.1f MB/s%s", ex, host, b / secs / 1e6, gone ? " (lost)" : ""));
        }
        return s.toString();
    }

    /** Bytes of the finished tasks whose size was not known before (folders). */
    private long doneUnknown;

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
