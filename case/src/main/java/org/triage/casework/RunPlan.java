package org.triage.casework;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which item a run starts next: the first one waiting (in the order added) whose physical device
 * no running item is read from, while fewer than {@code jobs} run. So items on different devices
 * are read at once and one disk is never read by two scans. Thread-safe: the run's thread takes
 * items with {@link #next}, blocking until one may start; each job says {@link #done}.
 */
final class RunPlan {
    private final List<CaseItem> waiting;
    private final int jobs;
    private final Set<String> busy = new HashSet<>();
    private final List<CaseItem> running = new ArrayList<>();
    private boolean stopped;

    RunPlan(List<CaseItem> items, int jobs) {
        if (jobs < 1) throw new IllegalArgumentException("jobs must be at least 1, was " + jobs);
        this.waiting = new ArrayList<>(items);
        this.jobs = jobs;
    }

    /** The next item to start (now marked running), or null when none is left or the plan was stopped. */
    synchronized CaseItem next() throws InterruptedException {
        while (true) {
            if (stopped || waiting.isEmpty()) return null;
            if (running.size() < jobs) {
                for (int i = 0; i < waiting.size(); i++) {
                    CaseItem c = waiting.get(i);
                    if (!busy.contains(c.device())) {
                        waiting.remove(i);
                        busy.add(c.device());
                        running.add(c);
                        return c;
                    }
                }
            }
            wait();
        }
    }

    synchronized void done(CaseItem item) {
        running.remove(item);
        busy.remove(item.device());
        notifyAll();
    }

    /** Starts nothing more; {@link #next} returns null. */
    synchronized void stop() {
        stopped = true;
        notifyAll();
    }

    synchronized List<CaseItem> waiting() { return List.copyOf(waiting); }

    synchronized List<CaseItem> running() { return List.copyOf(running); }
}
